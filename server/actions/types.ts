import { z } from 'zod';

const dnsName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a lowercase DNS name');

export const workloadRefSchema = z.object({
  cluster: z.string().min(1).max(253),
  namespace: dnsName,
  kind: z.enum(['Deployment', 'KnativeService']),
  name: dnsName,
});
export type WorkloadRef = z.infer<typeof workloadRefSchema>;

/** Replicas are checked for sign and integrality by policy (so the refusal is audited), not here. */
export const actionSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('scale'), replicas: z.number() }),
  z.object({ verb: z.literal('restart') }),
  z.object({ verb: z.literal('set-image'), container: z.string().min(1).max(253), image: z.string().min(1).max(512) }),
  z.object({ verb: z.literal('rollback'), revision: z.number().int().positive() }),
  z.object({ verb: z.literal('pause') }),
  z.object({ verb: z.literal('resume') }),
  z.object({ verb: z.literal('knative-scale'), minScale: z.number(), maxScale: z.number() }),
]);
export type Action = z.infer<typeof actionSchema>;
export type ActionVerb = Action['verb'];
export const actionVerbs = [
  'scale',
  'restart',
  'set-image',
  'rollback',
  'pause',
  'resume',
  'knative-scale',
] as const satisfies readonly ActionVerb[];

export const actionRequestSchema = z.object({
  workload: workloadRefSchema,
  action: actionSchema,
  /** The version the person saw in the confirm dialog: the change is refused if someone changed it since. */
  resourceVersion: z.string().min(1).max(64).optional(),
  /** The spec generation the person saw: refused if the spec changed since (status churn does not count). */
  generation: z.number().int().nonnegative().optional(),
});
export type ActionRequest = z.infer<typeof actionRequestSchema>;

export const applyRequestSchema = actionRequestSchema.extend({
  /** One per click: a double click or a retry with the same key acts once. */
  idempotencyKey: z.string().uuid(),
});
export type ApplyRequest = z.infer<typeof applyRequestSchema>;

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface ActionPreview {
  workload: WorkloadRef;
  action: Action;
  resourceVersion: string;
  generation: number;
  diff: FieldChange[];
  /** Null until the cost model exists (issue 4); the dialog says "not available yet". */
  costImpactUsdPerHour: string | null;
}

export interface ActionOutcome {
  auditId: number;
  result: 'succeeded' | 'failed';
  duplicate: boolean;
  message: string;
  resourceVersion?: string;
}

export function targetOf(workload: WorkloadRef): string {
  return `${workload.kind === 'Deployment' ? 'deployment' : 'ksvc'}/${workload.name}`;
}
