// The billing view in the URL (browser-safe): filters, grouping and granularity. The page, the CSV
// export route and the e2e tests read and write the same parameters.
import { resolveTimeRange } from '@/lib/time-range';

export const LIST_FILTERS = ['provider', 'billingAccount', 'subAccount', 'service', 'region'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export const GROUP_DIMENSIONS = [
  'provider',
  'billingAccount',
  'subAccount',
  'service',
  'serviceCategory',
  'region',
  'chargeCategory',
  'resource',
] as const;

export const PERIOD_PRESETS = [
  'last-30-days',
  'this-month',
  'last-month',
  'last-3-months',
  'last-12-months',
  'all',
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export interface BillingView {
  /** Inclusive first day and exclusive last day, YYYY-MM-DD (UTC). */
  from: string;
  to: string;
  preset: PeriodPreset | 'custom';
  lists: Partial<Record<ListFilter, string[]>>;
  tags: Record<string, string[]>;
  groupBy: string | null;
  granularity: 'day' | 'month';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The shell's time range (now-7d, ISO times) widened to whole UTC days, or null when it does not parse. */
function shellRangeDays(from: string, to: string, nowMs: number): { from: string; to: string } | null {
  try {
    const range = resolveTimeRange({ from, to }, nowMs);
    return { from: isoDay(new Date(range.fromMs)), to: isoDay(new Date(Math.ceil(range.toMs / DAY_MS) * DAY_MS)) };
  } catch {
    return null;
  }
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** [from, to) of a preset, in UTC days, relative to `nowMs`. */
export function presetPeriod(preset: PeriodPreset, nowMs: number): { from: string; to: string } {
  const now = new Date(nowMs);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const tomorrow = isoDay(new Date(Date.UTC(y, m, now.getUTCDate() + 1)));
  switch (preset) {
    case 'last-30-days':
      return { from: isoDay(new Date(Date.UTC(y, m, now.getUTCDate() - 29))), to: tomorrow };
    case 'this-month':
      return { from: isoDay(new Date(Date.UTC(y, m, 1))), to: isoDay(new Date(Date.UTC(y, m + 1, 1))) };
    case 'last-month':
      return { from: isoDay(new Date(Date.UTC(y, m - 1, 1))), to: isoDay(new Date(Date.UTC(y, m, 1))) };
    case 'last-3-months':
      return { from: isoDay(new Date(Date.UTC(y, m - 2, 1))), to: isoDay(new Date(Date.UTC(y, m + 1, 1))) };
    case 'last-12-months':
      return { from: isoDay(new Date(Date.UTC(y, m - 11, 1))), to: isoDay(new Date(Date.UTC(y, m + 1, 1))) };
    case 'all':
      return { from: '2000-01-01', to: isoDay(new Date(Date.UTC(y + 1, 0, 1))) };
  }
}

export function readBillingView(params: URLSearchParams, nowMs: number): BillingView {
  const presetParam = params.get('period');
  const preset = (PERIOD_PRESETS as readonly string[]).includes(presetParam ?? '')
    ? (presetParam as PeriodPreset)
    : null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  // The shell's time range picker writes the same from/to; its relative ranges count as whole days.
  const explicit = preset
    ? null
    : DAY.test(from) && DAY.test(to)
      ? { from, to }
      : from && to
        ? shellRangeDays(from, to, nowMs)
        : null;
  const custom = explicit !== null;
  const period = explicit ?? presetPeriod(preset ?? 'last-12-months', nowMs);
  const lists: BillingView['lists'] = {};
  for (const key of LIST_FILTERS) {
    const values = params.getAll(key).filter(Boolean);
    if (values.length > 0) lists[key] = values;
  }
  const tags: Record<string, string[]> = {};
  for (const pair of params.getAll('tag')) {
    const split = pair.indexOf(':');
    if (split <= 0) continue;
    (tags[pair.slice(0, split)] ??= []).push(pair.slice(split + 1));
  }
  const groupBy = params.get('groupBy') || null;
  return {
    ...period,
    preset: custom ? 'custom' : (preset ?? 'last-12-months'),
    lists,
    tags,
    groupBy,
    granularity: params.get('granularity') === 'month' ? 'month' : 'day',
  };
}

export function writeBillingView(view: BillingView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.preset === 'custom') {
    params.set('from', view.from);
    params.set('to', view.to);
  } else {
    params.set('period', view.preset);
  }
  for (const key of LIST_FILTERS) for (const value of view.lists[key] ?? []) params.append(key, value);
  for (const [key, values] of Object.entries(view.tags))
    for (const value of values) params.append('tag', `${key}:${value}`);
  if (view.groupBy) params.set('groupBy', view.groupBy);
  if (view.granularity === 'month') params.set('granularity', 'month');
  return params;
}

/** The server's filter object for a view (the explorer, the line table and the export share it). */
export function billingFiltersOf(
  view: BillingView,
): { from: string; to: string; tags?: Record<string, string[]> } & BillingView['lists'] {
  return {
    from: view.from,
    to: view.to,
    ...view.lists,
    ...(Object.keys(view.tags).length > 0 ? { tags: view.tags } : {}),
  };
}
