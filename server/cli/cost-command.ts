// `burnrate cost --from <time> --to <time> --by cluster|team|namespace|workload|pod [--cluster C] --format json|csv|text`
// and `burnrate reconcile --day YYYY-MM-DD --cluster C [--format json|text]`.
import { costDimensions, type CostDimension } from '@/lib/cost-dimensions';
import { parseTimePoint, TimeRangeError } from '@/lib/time-range';
import { csvLine, csvNumberCell, csvTextCell } from '@/server/billing/csv-export';
import { costSharingOptions } from '@/server/cost/cost-settings';
import { costSummary } from '@/server/cost/queries';
import { reconcileDays } from '@/server/cost/reconcile-query';
import { servingUnitCostsOf } from '@/server/cost/unit-cost-query';
import type { CliCommand } from './commands';
import { CliUsageError } from './io';
import { costRowsOf, costRowColumns, type CliCostRow } from './cost-rows';

type Options = Record<string, string>;

/** `--name value` and `--name=value` pairs; anything else, or an option not in `allowed`, is a usage error. */
function parseOptions(args: string[], allowed: readonly string[]): Options {
  const options: Options = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!match || !allowed.includes(match[1]!)) throw new CliUsageError(`${arg}: not an option of this command`);
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '') throw new CliUsageError(`--${match[1]}: give a value`);
    options[match[1]!] = value;
  }
  return options;
}

function oneOf<T extends string>(option: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value))
    throw new CliUsageError(`--${option}: ${choices.join(', ')}, not ${value}`);
  return value as T;
}

function timeOption(option: 'from' | 'to', value: string, nowMs: number): number {
  try {
    return parseTimePoint(value, nowMs, option);
  } catch (error) {
    if (error instanceof TimeRangeError) throw new CliUsageError(`--${option}: ${error.message}`);
    throw error;
  }
}

function csvOf(rows: CliCostRow[]): string[] {
  const cell = (row: CliCostRow, column: (typeof costRowColumns)[number]): string => {
    const value = row[column];
    if (value === undefined || value === null) return '';
    if (typeof value === 'boolean') return String(value);
    return typeof value === 'number' || column.startsWith('cost') ? csvNumberCell(value) : csvTextCell(value);
  };
  return [
    csvLine([...costRowColumns]).trimEnd(),
    ...rows.map((row) => csvLine(costRowColumns.map((c) => cell(row, c))).trimEnd()),
  ];
}

function textOf(rows: CliCostRow[]): string[] {
  const width = Math.max(4, ...rows.map((r) => r.key.length));
  return rows.map(
    (r) => `${r.key.padEnd(width)}  ${r.cost.padStart(16)} ${r.currency}${r.estimate ? '  (estimate)' : ''}`,
  );
}

export const costCommand: CliCommand = async (args, { io, database }) => {
  const options = parseOptions(args, ['from', 'to', 'by', 'cluster', 'format']);
  const nowMs = Date.now();
  const fromMs = timeOption('from', options.from ?? 'now-7d', nowMs);
  const toMs = timeOption('to', options.to ?? 'now', nowMs);
  if (toMs <= fromMs) throw new CliUsageError('--to: must be after --from');
  const by = oneOf<CostDimension>('by', options.by, costDimensions, 'namespace');
  const format = oneOf('format', options.format, ['json', 'csv', 'text'] as const, 'json');
  const window = { fromMs, toMs, clusters: options.cluster ? [options.cluster] : null };
  const sharing = await costSharingOptions(database.db);
  const summary = await costSummary(database.db, { ...window, by }, sharing);
  const serving = by === 'workload' ? await servingUnitCostsOf(database.db, window, sharing) : [];
  const rows = costRowsOf(summary, serving);
  const lines = format === 'json' ? [JSON.stringify(rows, null, 2)] : format === 'csv' ? csvOf(rows) : textOf(rows);
  for (const line of lines) io.out(line);
  return 0;
};

export const reconcileCommand: CliCommand = async (args, { io, database }) => {
  const options = parseOptions(args, ['day', 'cluster', 'format']);
  const day = options.day;
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new CliUsageError(`--day: a day as YYYY-MM-DD, not ${day ?? 'nothing'}`);
  if (!options.cluster) throw new CliUsageError('--cluster: name the cluster');
  const format = oneOf('format', options.format, ['json', 'text'] as const, 'json');
  const fromMs = Date.parse(`${day}T00:00:00Z`);
  const window = { fromMs, toMs: fromMs + 86_400_000, clusters: [options.cluster] };
  const [row] = await reconcileDays(database.db, window, await costSharingOptions(database.db));
  if (!row) {
    io.err(`reconcile: no allocation of ${options.cluster} on ${day} yet (the allocation job has not reached it)`);
    return 1;
  }
  if (format === 'json') io.out(JSON.stringify(row, null, 2));
  else
    for (const [name, value] of Object.entries(row))
      io.out(`${name.padEnd(20)} ${typeof value === 'object' ? JSON.stringify(value) : value}`);
  return 0;
};
