// Time ranges as Grafana users know them: relative (`now-6h` … `now`) or absolute (ISO times),
// kept in the URL so that a link reproduces the view. Browser-safe: no server imports.

export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS } as const;
type Unit = keyof typeof unitMs;

const relativePattern = /^now(?:-(\d+)([smhdw]))?$/;

export interface TimeRangeInput {
  from: string;
  to: string;
}

export interface ResolvedTimeRange {
  fromMs: number;
  toMs: number;
}

export const defaultTimeRange: TimeRangeInput = { from: 'now-6h', to: 'now' };

export const quickRanges: { label: string; from: string }[] = [
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last 1 hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
  { label: 'Last 30 days', from: 'now-30d' },
];

export const refreshIntervals = ['off', '10s', '30s', '1m', '5m', '15m'] as const;
export type RefreshInterval = (typeof refreshIntervals)[number];
export const defaultRefresh: RefreshInterval = '30s';

/** A range that cannot be used; `field` is the URL parameter to correct (`from` or `to`). */
export class TimeRangeError extends Error {
  override readonly name = 'TimeRangeError';
  constructor(
    message: string,
    readonly field: 'from' | 'to' = 'from',
  ) {
    super(message);
  }
}

/** A point in time: `now`, `now-<n><s|m|h|d|w>`, an ISO 8601 time, or epoch milliseconds. */
export function parseTimePoint(value: string, nowMs: number, field: 'from' | 'to' = 'from'): number {
  const relative = relativePattern.exec(value);
  if (relative) {
    const [, amount, unit] = relative;
    return amount ? nowMs - Number(amount) * unitMs[unit as Unit] : nowMs;
  }
  if (/^\d{10,14}$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    const hint = 'use now, now-6h, an ISO time such as 2026-11-01T00:00:00Z, or epoch milliseconds';
    throw new TimeRangeError(`"${value}" is not a time: ${hint}.`, field);
  }
  return parsed;
}

export function resolveTimeRange(range: TimeRangeInput, nowMs: number): ResolvedTimeRange {
  const fromMs = parseTimePoint(range.from, nowMs, 'from');
  const toMs = parseTimePoint(range.to, nowMs, 'to');
  if (toMs <= fromMs) throw new TimeRangeError('The end of the time range must be after its start.', 'to');
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) {
    throw new TimeRangeError(`The time range spans more than ${MAX_RANGE_DAYS} days; pick a shorter one.`, 'from');
  }
  return { fromMs, toMs };
}

export function isRelative(range: TimeRangeInput): boolean {
  return relativePattern.test(range.from) && relativePattern.test(range.to);
}

export function refreshIntervalMs(interval: RefreshInterval): number | false {
  if (interval === 'off') return false;
  const match = /^(\d+)([smh])$/.exec(interval);
  return match ? Number(match[1]) * unitMs[match[2] as Unit] : false;
}

/** A short label for the picker button: the quick range's name, else the two times. */
export function describeTimeRange(range: TimeRangeInput, nowMs: number): string {
  if (range.to === 'now') {
    const quick = quickRanges.find((q) => q.from === range.from);
    if (quick) return quick.label;
    const relative = relativePattern.exec(range.from);
    if (relative?.[1]) return `Last ${relative[1]}${relative[2]}`;
  }
  const { fromMs, toMs } = resolveTimeRange(range, nowMs);
  const format = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `${format(fromMs)} to ${format(toMs)} UTC`;
}
