import 'server-only';
import { sql } from 'drizzle-orm';
import type { BulkTransaction, CopyWriter } from './billing-copy';
import type { Db } from './client';

/** Any fixed number: imports that add a month to billing_lines take it in turn. */
const PARTITION_LOCK_KEY = 4_237_014;

/** The start of the UTC month after the one starting at `monthStart`. */
export function nextMonthStartMs(monthStart: number): number {
  const at = new Date(monthStart);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
}

/** billing_lines_y2025m01 for January 2025 (the migration that partitioned the table names them the same way). */
export function monthPartitionName(monthStart: number): string {
  const at = new Date(monthStart);
  return `billing_lines_y${at.getUTCFullYear()}m${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Where an import's lines of one month go: its partition, or a table made for it in this transaction. */
export interface MonthTable {
  monthStart: number;
  name: string;
  /** Made by this import: loaded without index or routing, then indexed and attached by `attachMonthTables`. */
  fresh: boolean;
}

function monthBounds(monthStart: number): { from: string; to: string } {
  return { from: new Date(monthStart).toISOString(), to: new Date(nextMonthStartMs(monthStart)).toISOString() };
}

/**
 * The table for an import's lines of a month. A month billing_lines has no partition for gets a new
 * table, inside the import's transaction (it exists only if the import commits), with a CHECK of the
 * partition's bounds: its rows are checked as they arrive, and the attach need not scan them.
 */
export async function openMonthTable(tx: BulkTransaction, monthStart: number): Promise<MonthTable> {
  // Two imports adding the same month would otherwise wait on each other's new table (a deadlock).
  await tx.query('select pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
  const name = monthPartitionName(monthStart);
  const { rows } = await tx.query('select to_regclass($1) is not null as present', [name]);
  if (rows[0]?.present === true) return { monthStart, name, fresh: false };
  const { from, to } = monthBounds(monthStart);
  await tx.query(`create table ${name} (like billing_lines including defaults including constraints,
    constraint ${name}_month_check check (charge_period_start >= '${from}' and charge_period_start < '${to}'))`);
  return { monthStart, name, fresh: true };
}

/** `COPY … FROM STDIN` into the month's table: a fresh one takes its rows frozen (it is not visible to others). */
export function copyIntoMonth(tx: BulkTransaction, table: MonthTable, columns: readonly string[]): CopyWriter {
  return tx.copyIn(`${table.name} (${columns.join(', ')})`, { freeze: table.fresh });
}

/**
 * Indexes the fresh month tables and attaches them to billing_lines. One index build after the COPY
 * costs less than keeping the index row by row. ATTACH takes the index as the partition's and locks billing_lines
 * in SHARE UPDATE EXCLUSIVE mode only, so the lines stay readable meanwhile.
 */
export async function attachMonthTables(tx: BulkTransaction, tables: Iterable<MonthTable>): Promise<void> {
  for (const { monthStart, name, fresh } of tables) {
    if (!fresh) continue;
    const { from, to } = monthBounds(monthStart);
    await tx.query(`create index on ${name} (import_id, line_number)`);
    await tx.query(`alter table billing_lines attach partition ${name} for values from ('${from}') to ('${to}')`);
    await tx.query(`alter table ${name} drop constraint ${name}_month_check`);
  }
}

/**
 * Gives the planner the size of the month tables an import filled (its own uncommitted rows count):
 * without it the rollups expected 12 lines (1,000 with import_id alone: the month's bounds were a
 * guess) and sorted them all on disk. A sample of 3,000 rows per table (statistics target 10) does.
 */
export async function analyzeMonthTables(tx: BulkTransaction, tables: Iterable<MonthTable>): Promise<void> {
  const names = [...tables].map((table) => table.name);
  if (names.length === 0) return;
  await tx.query('set local default_statistics_target = 10');
  await tx.query(`analyze ${names.map((name) => `${name} (import_id, charge_period_start)`).join(', ')}`);
}

/** Names of billing_lines' partitions, oldest month first. */
export async function monthPartitions(db: Db): Promise<string[]> {
  const result = (await db.execute(sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'billing_lines'::regclass order by 1`)) as unknown as { rows: { name: string }[] };
  return result.rows.map((row) => row.name);
}
