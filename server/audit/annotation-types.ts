// What the audit router sends for chart markers. Types only (the chart imports them with `import type`).

export interface ChartAnnotation {
  id: number;
  /** When the action was recorded (epoch ms). */
  atMs: number;
  actor: string;
  role: string;
  verb: string;
  /** `replicas=3`, `image=…`: the action's parameters in one line. */
  parameters: string;
  result: 'allowed' | 'denied' | 'failed' | 'succeeded';
  statusCode: number | null;
  /** Short text drawn next to the line. */
  label: string;
}
