// Postgres fast path for CSV: the server parses and types the CSV once, as psql \copy would, COPYing
// it straight into the table that keeps the import's lines: a table of its own, in the file's
// column order (columns the schema does not know kept as text), attached to `billing_lines` by
// inheritance only when everything else of the import commits. Each line is written once; the
// checks read it, and the rollups are summed from it on a second connection meanwhile (two cores,
// two backends). Any failure sends the caller to the exact JS path, which reports each problem
// with line and column.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { startPgCopy as startCopy, withBulkTransaction, postgresPool } from '@/server/db/billing-copy';
import { completeImport, importTotals, insertPendingImport, writeDailyRollups, type NewImport, type RollupSource } from '@/server/db/billing-imports';
import type { Database } from '@/server/db/client';
import type { CurrencyTotals } from '@/server/db/schema';
import { CHARGE_CATEGORIES, FOCUS_FIELDS, type ColumnMapping, type FieldKind } from './focus-columns';
import { MAX_FIELD_BYTES } from './row-encoder';

const SQL_TYPES: Record<FieldKind, string> = { money: 'numeric', decimal: 'numeric', timestamp: 'timestamptz', json: 'jsonb', text: 'text' };

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The table an import's lines live in once attached (billing_imports.line_table). */
export function lineTableName(importId: number): string {
  return `billing_lines_import_${importId}`;
}

export interface LineTableSql {
  /** Creates the sequence of line numbers and the table (import id and line numbers as defaults). */
  create: string;
  copy: string;
  /**
   * Given the temporary table of the resource-level rollups (summed with `source.checks`), one row:
   * `bad` (a FOCUS rule broken somewhere) and `mixed` (the other missing-value spelling in a text cell).
   */
  verdict(summed: string): string;
  /** Turns the other missing-value spelling into null in text cells (only run when `mixed`). */
  normalise: string | null;
  index: string;
  /** The lines as rollups read them, with the checks of the lines ($1, the import id, is unused). */
  source: RollupSource;
  /** Run in the import's transaction: the table becomes `lineTableName(importId)`, part of billing_lines. */
  attach: string[];
  /** Columns kept for the file's columns the schema does not know: column name → header name. */
  extraColumns: Record<string, string>;
}

/**
 * The SQL for one file's header; pure, so the generated statements can be read in a test.
 * `nullMarker`: the word the file writes for a missing value ('NULL' in the official sample, or
 * nothing); the other spelling is turned into null after the COPY when it occurs.
 */
export function lineTableSql(mapping: ColumnMapping, nullMarker: 'NULL' | '', table: string, importId: number): LineTableSql {
  const fieldAt = new Map<number, (typeof FOCUS_FIELDS)[number]>();
  FOCUS_FIELDS.forEach((field, f) => {
    const index = mapping.fieldIndexes[f]!;
    if (index >= 0) fieldAt.set(index, field);
  });
  const definitions = [`import_id integer not null default ${importId} constraint ${table}_import check (import_id = ${importId})`, `line_number integer not null default nextval('${table}_n')`];
  const copyColumns: string[] = [];
  const extraColumns: Record<string, string> = {};
  const kept = new Set(mapping.extraIndexes);
  mapping.header.forEach((name, index) => {
    const field = fieldAt.get(index);
    if (field) {
      definitions.push(`${field.dbColumn} ${SQL_TYPES[field.kind]}${field.required ? ' not null' : ''}`);
      copyColumns.push(field.dbColumn);
    } else {
      definitions.push(`e${index} text`);
      copyColumns.push(`e${index}`);
      if (kept.has(index)) extraColumns[`e${index}`] = name;
    }
  });
  // The schema's columns the file lacks, so that the table matches billing_lines for inheritance.
  for (const field of FOCUS_FIELDS) {
    if (!copyColumns.includes(field.dbColumn)) definitions.push(`${field.dbColumn} ${SQL_TYPES[field.kind]}${field.required ? ' not null' : ''}`);
  }
  definitions.push('extra jsonb');

  const otherMarker = nullMarker === 'NULL' ? '' : 'NULL';
  // Only the file's columns are checked: the others are null in every line.
  const present = FOCUS_FIELDS.filter((field) => copyColumns.includes(field.dbColumn));
  const isOther = (column: string): string => `${column} = ${literal(otherMarker)}`;
  const optionalText = present.filter((field) => field.kind === 'text' && !field.required).map((field) => field.dbColumn);
  const anyOf = (conditions: string[]): string => (conditions.length === 0 ? 'false' : conditions.join(' or '));
  // Per line, summed per group with the rollups (one pass over the lines). COPY enforced NOT NULL
  // for the file's own marker; the other spelling of a missing mandatory value is caught here.
  const broken = anyOf([
    ...present.filter((field) => field.kind === 'text' && field.required).map((field) => isOther(field.dbColumn)),
    ...present.filter((field) => field.kind === 'json').map((field) => `jsonb_typeof(${field.dbColumn}) <> 'object'`),
    'charge_period_end < charge_period_start',
    `charge_category not in (${[...CHARGE_CATEGORIES].map(literal).join(', ')})`,
  ]);
  // NaN and ±Infinity survive a sum (NaN, or ±Infinity, or NaN when both signs meet): money is
  // summed by the rollups anyway. The other decimals: NaN sorts above every number and abs(±Infinity)
  // is Infinity, so one max(abs()) per column finds them (a sum's state would take more memory).
  const decimals = present.filter((field) => field.kind === 'decimal').map((field) => field.dbColumn);
  const checks = [`bool_or(${broken})`, `bool_or(${anyOf(optionalText.map(isOther))})`, ...decimals.map((column) => `max(abs(${column}))`)];
  const special = (column: string): string => `${column} in ('NaN', 'Infinity', '-Infinity')`;
  const sums = ['billed_cost', 'effective_cost', 'list_cost', 'contracted_cost', ...decimals.map((_, i) => `check${i + 2}`)];
  const verdict = (summed: string): string =>
    `select coalesce(bool_or(check0 or ${sums.map(special).join(' or ')}), false) as bad, coalesce(bool_or(check1), false) as mixed from ${summed}`;
  return {
    // Row numbers from a sequence cached per session: contiguous for one COPY.
    create: `create sequence ${table}_n start 2 cache 100000;
      create table ${table} (${definitions.join(', ')});
      alter sequence ${table}_n owned by ${table}.line_number`,
    copy: `copy ${table} (${copyColumns.join(', ')}) from stdin with (format csv, header true, null ${literal(nullMarker)}, force_null (${copyColumns.join(', ')}))`,
    verdict,
    normalise: optionalText.length === 0 ? null : `update ${table} set ${optionalText.map((c) => `${c} = nullif(${c}, ${literal(otherMarker)})`).join(', ')} where ${anyOf(optionalText.map(isOther))}`,
    index: `create unique index ${table}_key on ${table} (import_id, line_number)`,
    source: { from: `${table} s`, column: (dbColumn) => (optionalText.includes(dbColumn) ? `nullif(s.${dbColumn}, ${literal(otherMarker)})` : `s.${dbColumn}`), checks },
    attach: [
      `alter table ${table} alter column import_id drop default, alter column line_number drop default`,
      `drop sequence ${table}_n`,
      `alter table ${table} inherit billing_lines`,
      `alter index ${table}_key rename to ${lineTableName(importId)}_key`,
      `alter table ${table} rename constraint ${table}_import to ${lineTableName(importId)}_import`,
      `alter table ${table} rename to ${lineTableName(importId)}`,
    ],
    extraColumns,
  };
}

/** Which missing-value spelling a file uses, from its first rows (unquoted NULL, else empty). */
export function detectNullMarker(head: string): 'NULL' | '' {
  return /(^|,)NULL(,|\r?\n|$)/m.test(head) ? 'NULL' : '';
}

const STAGING_PREFIX = 'burnrate_focus_stage_';
/** A table being loaded (or a rollup table of an earlier version's); group 1 is the table's name. */
const STAGING_RELATION = /^(burnrate_focus_stage_[0-9a-f]{16})(?:_rollup(?:_day|_month)?)?$/;
/** First key of the two-key advisory locks on staging tables: apart from every single-key lock. */
const STAGING_LOCK_CLASS = 0x42524653;

/**
 * Tables of imports whose process died: each live import holds a session advisory lock on its
 * table's name, so a table nobody holds a lock for is garbage (it was never attached).
 */
async function sweepAbandonedStaging(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ relname: string }>(
    `select relname from pg_class where relkind = 'r' and relname like $1`,
    [`${STAGING_PREFIX}%`],
  );
  const byTable = new Map<string, string[]>();
  for (const { relname } of rows) {
    const table = STAGING_RELATION.exec(relname)?.[1];
    if (table) byTable.set(table, [...(byTable.get(table) ?? []), relname]);
  }
  for (const [table, relations] of byTable) {
    const { rows: [lock] } = await client.query<{ free: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as free', [STAGING_LOCK_CLASS, table]);
    if (!lock?.free) continue;
    try {
      await client.query(`drop table if exists ${relations.join(', ')}`);
    } finally {
      await client.query('select pg_advisory_unlock($1, hashtext($2))', [STAGING_LOCK_CLASS, table]);
    }
  }
}

/** Fast-path imports of this process, one at a time: each holds two pooled connections. */
let fastPathTail: Promise<unknown> = Promise.resolve();

/**
 * A pooled connection checked out for a while: pg-pool stops listening for its errors once it is
 * out, and a backend ended meanwhile (pg_terminate_backend, a failover) would crash the process.
 * `release(failed)` discards a connection whose session state is unknown.
 */
async function checkout(pool: pg.Pool): Promise<{ client: pg.PoolClient; release: (failed?: boolean) => void }> {
  const client = await pool.connect();
  let lost: Error | null = null;
  const onError = (error: Error): void => { lost = error; };
  client.on('error', onError);
  return {
    client,
    release: (failed = false) => {
      client.off('error', onError);
      client.release(failed || lost !== null ? (lost ?? true) : undefined);
    },
  };
}

export interface ServerImport {
  /** null: another import of the same content committed first. */
  importId: number | null;
  rowCount: number;
  totals: CurrencyTotals;
  durationMs: number;
}

/**
 * Imports a CSV file on the server: COPY into a new table (committed, not yet part of
 * billing_lines), then one transaction on another connection claims the import, sums the rollups
 * from that table while this connection checks the FOCUS rules and indexes it, and attaches it.
 * Throws on any failure (a broken rule included) after dropping what it made; the caller then
 * takes the exact path, which reports the problems.
 */
export async function importCsvOnServer(
  database: Database,
  mapping: ColumnMapping,
  bytes: AsyncIterable<Buffer>,
  claim: Promise<NewImport>,
  options: {
    tagKeys: readonly string[];
    startedMs: number;
    /** The copy stops when this resolves with something (the content was imported before). */
    stopWhen?: Promise<unknown>;
    onChunk?: () => void;
    onCopied?: (rows: number) => void;
  },
): Promise<ServerImport> {
  const previous = fastPathTail;
  let done!: () => void;
  fastPathTail = new Promise<void>((resolve) => { done = resolve; });
  await previous.catch(() => undefined);

  const pool = postgresPool(database);
  const table = `${STAGING_PREFIX}${randomBytes(8).toString('hex')}`;
  let loader: Awaited<ReturnType<typeof checkout>> | null = null;
  let indexing: Promise<void> = Promise.resolve();
  try {
    loader = await checkout(pool);
    const client = loader.client;
    await sweepAbandonedStaging(client);
    await client.query('select pg_advisory_lock($1, hashtext($2))', [STAGING_LOCK_CLASS, table]);
    const { rows: [next] } = await client.query<{ id: string }>(`select nextval(pg_get_serial_sequence('billing_imports', 'id')) as id`);
    const importId = Number(next!.id);
    const iterator = bytes[Symbol.asyncIterator]();
    const first = await iterator.next();
    const head = first.done ? Buffer.alloc(0) : first.value;
    const statements = lineTableSql(mapping, detectNullMarker(head.subarray(0, 256 * 1024).toString('utf8')), table, importId);
    // Timestamps without a zone are UTC, as on the exact path.
    await client.query(`set timezone to 'UTC'`);
    await client.query(statements.create);
    const records = new RecordLengthWatch(MAX_FIELD_BYTES);
    let stop: unknown = null;
    options.stopWhen?.then((found) => { stop = found; }, () => undefined);
    const rowCount = await copyCsv(client, statements.copy, first.done ? null : head, iterator, (chunk) => {
      if (stop) throw new Error('the same content was imported before');
      records.feed(chunk);
      options.onChunk?.();
    });
    options.onCopied?.(rowCount);
    if (rowCount === 0) throw new Error('no rows');
    // No field can be over the limit when no record is: the exact path finds and reports the field.
    if (records.longest > MAX_FIELD_BYTES) throw new Error(`a record of ${records.longest} bytes`);

    // Indexed here while the other connection sums the rollups (and checks the lines) from the same rows.
    indexing = client.query(statements.index).then(() => undefined);
    indexing.catch(() => undefined);

    return await withBulkTransaction(database, async (tx) => {
      const claimed = await insertPendingImport(tx, { ...(await claim), id: importId });
      if (claimed === null) return { importId: null, rowCount: 0, totals: {}, durationMs: 0 };
      // JIT compiles these wide statements for seconds and gains nothing back on a single pass.
      await tx.query('set local jit = off');
      // 128 MB: the checks' aggregates push 1M lines' groups over 64 MB, and a spill to disk cost 2 s.
      await writeDailyRollups(tx, importId, options.tagKeys, {
        source: statements.source,
        workMem: '128MB',
        inspect: async (summed) => {
          const { rows: [verdict] } = await tx.query(statements.verdict(summed));
          if (verdict?.bad) throw new Error('a line breaks a FOCUS rule');
          if (verdict?.mixed && statements.normalise) {
            await indexing;
            await tx.query(statements.normalise);
          }
        },
      });
      await indexing;
      for (const statement of statements.attach) await tx.query(statement);
      const { rows } = await tx.query('select coalesce(sum(line_count), 0)::bigint as lines from billing_daily_resource_rollups where import_id = $1', [importId]);
      if (Number(rows[0]?.lines ?? 0) !== rowCount) throw new Error(`rollups cover ${String(rows[0]?.lines)} lines but ${rowCount} were copied`);
      const totals = await importTotals(tx, importId);
      const durationMs = Math.round(performance.now() - options.startedMs);
      await completeImport(tx, importId, { rowCount, totals, durationMs, lineTable: lineTableName(importId), extraColumns: statements.extraColumns });
      return { importId, rowCount, totals, durationMs };
    });
  } finally {
    await Promise.allSettled([indexing]);
    if (loader) {
      try {
        // Attached, it has its final name and this is a no-op; otherwise it goes.
        await loader.client.query(`drop table if exists ${table}`);
        await loader.client.query('select pg_advisory_unlock($1, hashtext($2))', [STAGING_LOCK_CLASS, table]);
        await loader.client.query('reset all');
        loader.release();
      } catch {
        // A connection in an unknown state does not go back to the pool; the next import sweeps.
        loader.release(true);
      }
    }
    done();
  }
}

async function copyCsv(client: pg.PoolClient, statement: string, head: Buffer | null, rest: AsyncIterator<Buffer>, onChunk: (chunk: Buffer) => void): Promise<number> {
  const copy = startCopy(client, statement);
  try {
    if (head) {
      onChunk(head);
      await copy.write(head);
    }
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      onChunk(next.value);
      await copy.write(next.value);
    }
    return await copy.end();
  } catch (error) {
    await copy.abort('import aborted');
    throw error;
  }
}

/**
 * The longest CSV record (header included) in bytes, quotes followed across chunks: a newline
 * inside a quoted field does not end a record. Jumps from quote to newline with indexOf (memchr):
 * 0.75 s for 446 MB here, on the Node side while Postgres parses the same bytes.
 */
export class RecordLengthWatch {
  longest = 0;
  private inQuotes = false;
  private current = 0;

  constructor(private readonly stopAbove = Infinity) {}

  feed(chunk: Buffer): void {
    if (this.longest > this.stopAbove) return;
    const length = chunk.length;
    let position = 0;
    let quote = chunk.indexOf(0x22, 0);
    let newline = chunk.indexOf(0x0a, 0);
    while (position < length) {
      if (!this.inQuotes && newline >= 0 && (quote < 0 || newline < quote)) {
        this.current += newline - position;
        if (this.current > this.longest) this.longest = this.current;
        this.current = 0;
        position = newline + 1;
        newline = chunk.indexOf(0x0a, position);
        continue;
      }
      if (quote < 0) break;
      // A quote toggles (a doubled quote inside a field toggles twice); newlines it passes are inside.
      this.current += quote + 1 - position;
      position = quote + 1;
      this.inQuotes = !this.inQuotes;
      quote = chunk.indexOf(0x22, position);
      if (newline >= 0 && newline < position) newline = chunk.indexOf(0x0a, position);
    }
    if (position < length) this.current += length - position;
    if (this.current > this.longest) this.longest = this.current;
  }
}
