// The rows of `burnrate cost`: a group's keys, its cost and currency, and for serving workloads
// what they served and their unit costs. Money is decimal text.
import type { CostGroupKeys, CostSummary } from '@/server/cost/queries';
import type { ServingUnitCost } from '@/server/cost/unit-cost-query';

export interface CliCostRow extends CostGroupKeys {
  kind: string;
  key: string;
  cost: string;
  currency: string;
  estimate: boolean;
  sources: string;
  requests?: number;
  promptTokens?: number | null;
  generatedTokens?: number | null;
  costPer1kRequests?: string | null;
  costPer1MTokens?: string | null;
}

export const costRowColumns = [
  'kind',
  'key',
  'cluster',
  'team',
  'namespace',
  'workloadKind',
  'workloadName',
  'pod',
  'cost',
  'currency',
  'estimate',
  'sources',
  'requests',
  'promptTokens',
  'generatedTokens',
  'costPer1kRequests',
  'costPer1MTokens',
] as const satisfies readonly (keyof CliCostRow)[];

export function costRowsOf(summary: CostSummary, serving: readonly ServingUnitCost[]): CliCostRow[] {
  const unit = new Map(serving.map((s) => [s.key, s]));
  return summary.groups.map((g) => {
    const s = unit.get(g.key);
    return {
      kind: g.kind,
      key: g.key,
      ...g.keys,
      cost: g.cost,
      currency: summary.currency,
      estimate: g.estimate,
      sources: g.sources.join(' '),
      ...(s
        ? {
            requests: s.requests,
            promptTokens: s.promptTokens,
            generatedTokens: s.generatedTokens,
            costPer1kRequests: s.withoutIdle.per1kRequests,
            costPer1MTokens: s.withoutIdle.per1MTokens,
          }
        : {}),
    };
  });
}
