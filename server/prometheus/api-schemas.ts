import 'server-only';
import { z } from 'zod';

/** Label set of one series, as Prometheus returns it. */
export type Labels = Record<string, string>;
/** [epoch seconds, value]; Prometheus sends values as strings, including "NaN" and "±Inf". */
export type SamplePair = [timestampSeconds: number, value: number];

export interface MatrixSeries {
  metric: Labels;
  values: SamplePair[];
}
export interface VectorSample {
  metric: Labels;
  value: SamplePair;
}
export type QueryData =
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: [timestampSeconds: number, value: string] };

/** Parses a Prometheus sample value string; `Number('+Inf')` would be NaN. */
function parseSampleValue(raw: string): number {
  if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(raw);
}

function isRawPair(value: unknown): value is [number, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
}

// Hand-rolled instead of z.tuple: range results carry up to millions of pairs, checked and converted in one pass.
const samplePair = z.unknown().transform((raw, ctx): SamplePair => {
  if (!isRawPair(raw)) {
    ctx.addIssue({ code: 'custom', message: 'expected [timestamp, "value"]' });
    return z.NEVER;
  }
  return [raw[0], parseSampleValue(raw[1])];
});

const samplePairs = z.unknown().transform((raw, ctx): SamplePair[] => {
  if (!Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: 'expected an array of samples' });
    return z.NEVER;
  }
  const pairs: SamplePair[] = new Array<SamplePair>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    if (!isRawPair(item)) {
      ctx.addIssue({ code: 'custom', message: `sample ${i} is not [timestamp, "value"]` });
      return z.NEVER;
    }
    pairs[i] = [item[0], parseSampleValue(item[1])];
  }
  return pairs;
});

const labels = z.record(z.string(), z.string());

// Native histogram samples (`histogram`/`histograms`) are not charted yet and are dropped here.
export const matrixSchema = z
  .array(z.object({ metric: labels, values: samplePairs.optional() }))
  .transform((series): MatrixSeries[] => series.map((s) => ({ metric: s.metric, values: s.values ?? [] })));

const vectorSchema = z
  .array(z.object({ metric: labels, value: samplePair.optional() }))
  .transform((samples): VectorSample[] =>
    samples.flatMap((s) => (s.value === undefined ? [] : [{ metric: s.metric, value: s.value }])),
  );

export const queryDataSchema = z.discriminatedUnion('resultType', [
  z.object({ resultType: z.literal('matrix'), result: matrixSchema }),
  z.object({ resultType: z.literal('vector'), result: vectorSchema }),
  z.object({ resultType: z.literal('scalar'), result: samplePair }),
  z.object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) }),
]);

export const rangeDataSchema = z.object({ resultType: z.literal('matrix'), result: matrixSchema });

export const envelopeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.unknown(),
    warnings: z.array(z.string()).optional(),
    infos: z.array(z.string()).optional(),
  }),
  z.object({
    status: z.literal('error'),
    errorType: z.string(),
    error: z.string(),
    warnings: z.array(z.string()).optional(),
  }),
]);

export const stringListSchema = z.array(z.string());
export const seriesListSchema = z.array(labels);

export const metadataSchema = z.record(
  z.string(),
  z.array(z.object({ type: z.string(), help: z.string(), unit: z.string() })),
);
export type MetricMetadata = z.infer<typeof metadataSchema>;

const ruleBase = {
  name: z.string(),
  query: z.string(),
  labels: labels.optional(),
  health: z.string(),
  lastError: z.string().optional(),
  evaluationTime: z.number().optional(),
  lastEvaluation: z.string().optional(),
};
const alertSchema = z.object({
  labels,
  annotations: labels,
  state: z.string(),
  activeAt: z.string().optional(),
  value: z.string(),
});
export type PrometheusAlert = z.infer<typeof alertSchema>;

export const rulesSchema = z.object({
  groups: z.array(
    z.object({
      name: z.string(),
      file: z.string(),
      interval: z.number(),
      rules: z.array(
        z.discriminatedUnion('type', [
          z.object({
            ...ruleBase,
            type: z.literal('alerting'),
            duration: z.number(),
            annotations: labels.optional(),
            alerts: z.array(alertSchema),
            state: z.string(),
          }),
          z.object({ ...ruleBase, type: z.literal('recording') }),
        ]),
      ),
    }),
  ),
});
export type RuleGroups = z.infer<typeof rulesSchema>;

export const alertsSchema = z.object({ alerts: z.array(alertSchema) });

const activeTargetSchema = z.object({
  discoveredLabels: labels,
  labels,
  scrapePool: z.string(),
  scrapeUrl: z.string(),
  globalUrl: z.string().optional(),
  lastError: z.string(),
  lastScrape: z.string(),
  lastScrapeDuration: z.number(),
  health: z.enum(['up', 'down', 'unknown']),
  scrapeInterval: z.string().optional(),
  scrapeTimeout: z.string().optional(),
});
export const targetsSchema = z.object({
  activeTargets: z.array(activeTargetSchema),
  droppedTargets: z.array(z.object({ discoveredLabels: labels })),
});
export type Targets = z.infer<typeof targetsSchema>;

export const buildInfoSchema = z.object({
  version: z.string(),
  revision: z.string(),
  branch: z.string(),
  buildUser: z.string().optional(),
  buildDate: z.string().optional(),
  goVersion: z.string(),
});
export type BuildInfo = z.infer<typeof buildInfoSchema>;
