import type { CostDimension } from '@/lib/cost-dimensions';
import { DomainError } from '@/server/errors';
import type { CostGroupRow, CostSummary } from './queries';

// GET /api/v1/allocation in the shape of OpenCost's allocation API (opencost.io/docs/integrations/api):
// `{code, data: [{"<name>": {name, properties, window, start, end, …Cost, totalCost}}]}`, one set for
// the whole window (no `step`). Costs are JSON numbers written as their exact decimal text.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const unitMs: Record<string, number> = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: DAY_MS, w: 7 * DAY_MS };

/** OpenCost's `window`: `30m`, `12h`, `7d`, `2w`; today, yesterday, week, month, lastmonth; RFC3339 or unix-second pairs. */
export function parseAllocationWindow(window: string | null, nowMs: number): { fromMs: number; toMs: number } {
  const bad = (why: string): never => {
    throw new DomainError('BAD_INPUT', `window: ${why}`, 'window');
  };
  if (!window) return bad('required, e.g. 7d, today, or 2026-11-01T00:00:00Z,2026-11-02T00:00:00Z');
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const now = new Date(nowMs);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const duration = /^(\d{1,5})([mhdw])$/.exec(window);
  if (duration) return { fromMs: nowMs - Number(duration[1]) * unitMs[duration[2]!]!, toMs: nowMs };
  const words: Record<string, { fromMs: number; toMs: number }> = {
    today: { fromMs: today, toMs: nowMs },
    yesterday: { fromMs: today - DAY_MS, toMs: today },
    week: { fromMs: today - ((now.getUTCDay() + 6) % 7) * DAY_MS, toMs: nowMs },
    month: { fromMs: monthStart, toMs: nowMs },
    lastmonth: { fromMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1), toMs: monthStart },
  };
  const word = words[window];
  if (word) return word;
  const pair = window.split(',');
  if (pair.length !== 2) return bad(`"${window.slice(0, 80)}" is not a duration, a word or a pair of times`);
  const [fromMs, toMs] = pair.map((t) => (/^\d{9,11}$/.test(t) ? Number(t) * 1000 : Date.parse(t))) as [number, number];
  if (Number.isNaN(fromMs) || Number.isNaN(toMs))
    return bad('the pair holds a time that is not RFC3339 or unix seconds');
  if (toMs <= fromMs) return bad('its end must be after its start');
  if (toMs - fromMs > 400 * DAY_MS) return bad('longer than 400 days');
  return { fromMs, toMs };
}

const aggregates: Record<string, CostDimension> = {
  cluster: 'cluster',
  namespace: 'namespace',
  controller: 'workload',
  pod: 'pod',
  'label:team': 'team',
  team: 'team',
};

export function parseAggregate(aggregate: string | null): CostDimension {
  const dimension = aggregates[aggregate ?? 'namespace'];
  if (!dimension)
    throw new DomainError('BAD_INPUT', `aggregate: one of ${Object.keys(aggregates).join(', ')}`, 'aggregate');
  return dimension;
}

/** A decimal written into JSON as a number, digit for digit. */
class ExactNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `\u0001${this.text}`;
  }
}
const n = (text: string): ExactNumber => new ExactNumber(text);

function allocationOf(g: CostGroupRow, summary: CostSummary) {
  const start = new Date(summary.fromMs).toISOString();
  const end = new Date(summary.toMs).toISOString();
  const ratio = (value: number | null): number => value ?? 0;
  return {
    name: g.key,
    properties: {
      ...(g.keys.cluster ? { cluster: g.keys.cluster } : {}),
      ...(g.keys.namespace ? { namespace: g.keys.namespace } : {}),
      ...(g.keys.workloadName ? { controller: g.keys.workloadName, controllerKind: g.keys.workloadKind } : {}),
      ...(g.keys.pod ? { pod: g.keys.pod } : {}),
      ...(g.keys.team ? { labels: { team: g.keys.team } } : {}),
    },
    window: { start, end },
    start,
    end,
    minutes: (summary.toMs - summary.fromMs) / MINUTE_MS,
    cpuCost: n(g.cpu),
    gpuCost: n(g.gpuReserved),
    ramCost: n(g.memory),
    pvCost: 0,
    networkCost: 0,
    loadBalancerCost: 0,
    sharedCost: n(g.sharedShare),
    externalCost: 0,
    cpuEfficiency: ratio(g.efficiency.cpu),
    ramEfficiency: ratio(g.efficiency.memory),
    gpuEfficiency: ratio(g.efficiency.gpu),
    totalCost: n(g.cost),
    // Burnrate's own fields: where the prices came from, and whether the figure is an estimate.
    burnrate: { currency: summary.currency, sources: g.sources, estimate: g.estimate, idleShare: n(g.idleShare) },
  };
}

/** The response body as JSON text: money as exact decimal numbers. */
export function allocationResponseJson(summary: CostSummary): string {
  const set = Object.fromEntries(summary.groups.map((g) => [g.key, allocationOf(g, summary)]));
  return JSON.stringify({ code: 200, data: [set] }).replace(/"\\u0001(-?\d+(?:\.\d+)?)"/g, '$1');
}
