import { familyMeta } from './catalog.ts';
import type { ExporterName, Sample } from './samples.ts';

export const textFormatContentType = 'text/plain; version=0.0.4; charset=utf-8';

/** A sample's value as exposed: event counts as whole numbers, the rest as given. */
export function exposedValue(sample: Sample): number {
  return familyMeta(sample.family).integer && sample.name !== `${sample.family}_sum`
    ? Math.floor(sample.value)
    : sample.value;
}

export function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 1000) / 1000);
}

/** Prometheus text exposition format 0.0.4 for one exporter: HELP and TYPE once per family. */
export function renderTextFormat(samples: Sample[], exporter: ExporterName): string {
  const byFamily = new Map<string, string[]>();
  for (const s of samples) {
    if (s.exporter !== exporter) continue;
    let lines = byFamily.get(s.family);
    if (!lines) byFamily.set(s.family, (lines = []));
    lines.push(`${s.name}${s.labelText ? `{${s.labelText}}` : ''} ${formatValue(exposedValue(s))}`);
  }
  let out = '';
  for (const [family, lines] of byFamily) {
    const meta = familyMeta(family);
    out += `# HELP ${family} ${meta.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${family} ${meta.type}\n${lines.join('\n')}\n`;
  }
  return out;
}
