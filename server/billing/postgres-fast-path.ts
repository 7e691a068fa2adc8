// Postgres fast path for CSV: the server parses and types the CSV (COPY FORMAT csv into a staging
// table typed per column, as psql \copy would) and one INSERT … SELECT checks and maps it, while a
// second connection sums the resource rollups from the same staging table (two cores, two
// backends). Any failure sends the caller to the exact JS path, which reports each problem with
// line and column.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { startPgCopy as startCopy } from '@/server/db/billing-copy';
import { monthRollupSelect, resourceRollupSelect, serviceRollupSelect, type PrecomputedRollups, type RollupSource } from '@/server/db/billing-imports';
import { CHARGE_CATEGORIES, FOCUS_FIELDS, type ColumnMapping, type FieldKind } from './focus-columns';
import { MAX_FIELD_BYTES } from './row-encoder';

/** Postgres caps function arguments at 100: jsonb_build_object takes at most 50 pairs per call. */
const MAX_PAIRS = 50;
const SQL_TYPES: Record<FieldKind, string> = { money: 'numeric', decimal: 'numeric', timestamp: 'timestamptz', json: 'jsonb', text: 'text' };

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface StagingSql {
  createStaging: string;
  copyTarget: string;
  copyOptions: string;
  /** $1 = import id. */
  insertLines: string;
  /** The resource-level rollup rows of the staged lines (billing_daily_resource_rollups after import_id). */
  resourceRollups: string;
}

/**
 * The SQL for one file's header; pure, so the generated statement can be read in a test.
 * `nullMarker`: the word the file writes for a missing value ('NULL' in the official sample, or
 * nothing); a file mixing both fails the typed COPY and takes the exact path.
 */
export function stagingSql(mapping: ColumnMapping, lineColumns: readonly string[], nullMarker: 'NULL' | '', table = 'focus_staging', tagKeys: readonly string[] = []): StagingSql {
  const cells = mapping.header.map((_, index) => `c${index}`);
  const types = mapping.header.map(() => 'text');
  FOCUS_FIELDS.forEach((field, f) => {
    const index = mapping.fieldIndexes[f]!;
    if (index >= 0) types[index] = SQL_TYPES[field.kind];
  });
  // Both spellings of missing become null, as on the exact path. COPY turns the file's own marker
  // into null, quoted or not (force_null on every column); text cells then need one nullif for the
  // other spelling (two nested nullifs on every text cell cost ~1.5 s per 1M rows here).
  const otherMarker = nullMarker === 'NULL' ? '' : 'NULL';
  const value = (index: number): string => (index < 0 ? 'null' : types[index] === 'text' ? `nullif(s.c${index}, ${literal(otherMarker)})` : `s.c${index}`);
  const reject = (index: number, field: string, reason: string, cast: string): string =>
    `burnrate_focus_reject(s.n, ${literal(mapping.header[index] ?? field)}, null, ${literal(reason)})::${cast}`;
  const startIndex = mapping.fieldIndexes[FOCUS_FIELDS.findIndex((f) => f.dbColumn === 'charge_period_start')]!;

  const checked = FOCUS_FIELDS.map((field, f) => {
    const index = mapping.fieldIndexes[f]!;
    const v = value(index);
    const sqlType = SQL_TYPES[field.kind];
    const missing = field.required ? `when ${v} is null then ${reject(index, field.sources[0]!, 'mandatory value is missing', sqlType)}` : '';
    let rule = '';
    if (field.kind === 'money' || field.kind === 'decimal') rule = `when ${v} in ('NaN', 'Infinity', '-Infinity') then ${reject(index, field.dbColumn, 'not a decimal number', sqlType)}`;
    else if (field.kind === 'json') rule = `when jsonb_typeof(${v}) <> 'object' then ${reject(index, field.dbColumn, 'not a valid JSON object', sqlType)}`;
    else if (field.dbColumn === 'charge_period_end') rule = `when ${v} < ${value(startIndex)} then ${reject(index, field.dbColumn, 'ChargePeriodEnd is before ChargePeriodStart', sqlType)}`;
    else if (field.dbColumn === 'charge_category') rule = `when ${v} not in (${[...CHARGE_CATEGORIES].map(literal).join(', ')}) then ${reject(index, field.dbColumn, 'ChargeCategory not allowed', sqlType)}`;
    return missing || rule ? `case ${missing} ${rule} else ${v} end` : v;
  });
  const pairs = mapping.extraIndexes.map((index) => `${literal(mapping.header[index]!)}, ${value(index)}`);
  const objects: string[] = [];
  for (let at = 0; at < pairs.length; at += MAX_PAIRS) objects.push(`jsonb_build_object(${pairs.slice(at, at + MAX_PAIRS).join(', ')})`);
  const extra = objects.length === 0 ? 'null' : `nullif(jsonb_strip_nulls(${objects.join(' || ')}), '{}'::jsonb)`;
  // octet_length reads the length word (no detoasting); jsonb is measured only when it is large on disk.
  const oversize = cells
    .map((c, i) => (types[i] === 'text' ? `octet_length(s.${c}) > ${MAX_FIELD_BYTES}` : types[i] === 'jsonb' ? `(pg_column_size(s.${c}) > 16384 and octet_length(s.${c}::text) > ${MAX_FIELD_BYTES})` : null))
    .filter((check): check is string => check !== null);
  const lineNumber = oversize.length === 0
    ? '(s.n + 1)::int'
    : `case when ${oversize.join(' or ')} then burnrate_focus_reject(s.n, null, null, 'field over ${MAX_FIELD_BYTES} bytes')::int else (s.n + 1)::int end`;
  // A field the file lacks is a typed null: `null->>'team'` or `sum(null)` alone do not resolve.
  const byColumn = new Map(FOCUS_FIELDS.map((field, f) => {
    const index = mapping.fieldIndexes[f]!;
    return [field.dbColumn, index < 0 ? `null::${SQL_TYPES[field.kind]}` : value(index)];
  }));
  const source: RollupSource = { from: `${table} s`, column: (dbColumn) => byColumn.get(dbColumn) ?? 'null' };
  return {
    // Unlogged: nothing to replay after a crash, and other connections can read it (a temp table they could not).
    // Row numbers from a sequence cached per session: a plain bigserial's nextval cost 0.3 s per 1M rows.
    createStaging: `create sequence ${table}_n cache 100000;
      create unlogged table ${table} (n bigint not null default nextval('${table}_n'), ${cells.map((c, i) => `${c} ${types[i]}`).join(', ')});
      alter sequence ${table}_n owned by ${table}.n`,
    copyTarget: `${table} (${cells.join(', ')})`,
    copyOptions: `with (format csv, header true, null ${literal(nullMarker)}, force_null (${cells.join(', ')}))`,
    insertLines: `insert into billing_lines (${lineColumns.join(', ')}) select $1, ${lineNumber}, ${checked.join(',\n ')}, ${extra} from ${table} s`,
    resourceRollups: resourceRollupSelect(tagKeys, source),
  };
}

/** Which missing-value spelling a file uses, from its first rows (unquoted NULL, else empty). */
export function detectNullMarker(head: string): 'NULL' | '' {
  return /(^|,)NULL(,|\r?\n|$)/m.test(head) ? 'NULL' : '';
}

const STAGING_PREFIX = 'burnrate_focus_stage_';
/** A staging table or one of its rollup tables; group 1 is the staging table's name. */
const STAGING_RELATION = /^(burnrate_focus_stage_[0-9a-f]{16})(?:_rollup(?:_day|_month)?)?$/;
/** First key of the two-key advisory locks on staging tables: apart from every single-key lock. */
const STAGING_LOCK_CLASS = 0x42524653;

function rollupTables(table: string): PrecomputedRollups {
  return { resource: `${table}_rollup`, day: `${table}_rollup_day`, month: `${table}_rollup_month` };
}

/** The staging table and the rollup tables summed from it. */
function stagingTables(table: string): string[] {
  return [table, ...Object.values(rollupTables(table))];
}

/** A file staged on the server, its lines not yet imported; `drop()` removes what it made. */
export interface StagedCsv {
  rows: number;
  /** $1 = import id. */
  insertLines: string;
  /** Resolves with the tables holding the rollup rows at each level (being summed meanwhile). */
  rollups: Promise<PrecomputedRollups>;
  drop(): Promise<void>;
}

/**
 * Staging tables of imports whose process died: each live import holds a session advisory lock on
 * its table's name, so a table (or a rollup table left alone) nobody holds a lock for is garbage.
 */
async function sweepAbandonedStaging(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ relname: string }>(
    `select relname from pg_class where relkind = 'r' and relname like $1`,
    [`${STAGING_PREFIX}%`],
  );
  const tables = new Set(rows.map((row) => STAGING_RELATION.exec(row.relname)?.[1]).filter((name): name is string => name !== undefined));
  for (const table of tables) {
    const { rows: [lock] } = await client.query<{ free: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as free', [STAGING_LOCK_CLASS, table]);
    if (!lock?.free) continue;
    try {
      await client.query(`drop table if exists ${stagingTables(table).join(', ')}`);
    } finally {
      await client.query('select pg_advisory_unlock($1, hashtext($2))', [STAGING_LOCK_CLASS, table]);
    }
  }
}

/** Fast-path imports of this process, one at a time: each holds three pooled connections at its peak. */
let fastPathTail: Promise<unknown> = Promise.resolve();

/**
 * A pooled connection checked out for a while: pg-pool stops listening for its errors once it is
 * out, and a backend ended meanwhile (pg_terminate_backend, a failover) would crash the process.
 * `release(failed)` discards a connection whose session state is unknown.
 */
async function checkout(pool: pg.Pool): Promise<{ client: pg.PoolClient; failed: () => boolean; release: (failed?: boolean) => void }> {
  const client = await pool.connect();
  let lost: Error | null = null;
  const onError = (error: Error): void => { lost = error; };
  client.on('error', onError);
  return {
    client,
    failed: () => lost !== null,
    release: (failed = false) => {
      client.off('error', onError);
      client.release(failed || lost !== null ? (lost ?? true) : undefined);
    },
  };
}

/**
 * COPYs the CSV into a new staging table (committed, visible to other connections) and starts
 * summing its rollups on a second connection. The caller inserts the lines in its own transaction,
 * takes the rollups, and calls drop() in a finally; drop() also lets the next fast-path import in.
 */
export async function stageCsvOnServer(
  pool: pg.Pool,
  mapping: ColumnMapping,
  bytes: AsyncIterable<Buffer>,
  lineColumns: readonly string[],
  tagKeys: readonly string[],
  onChunk?: () => void,
): Promise<StagedCsv> {
  const previous = fastPathTail;
  let done!: () => void;
  fastPathTail = new Promise<void>((resolve) => { done = resolve; });
  await previous.catch(() => undefined);

  const table = `${STAGING_PREFIX}${randomBytes(8).toString('hex')}`;
  let stager: Awaited<ReturnType<typeof checkout>> | null = null;
  let summing: Awaited<ReturnType<typeof checkout>> | null = null;
  let rollups: Promise<PrecomputedRollups> = Promise.resolve(rollupTables(table));
  let summingFailed = false;
  const drop = async (): Promise<void> => {
    try {
      await Promise.allSettled([rollups]);
      summing?.release(summingFailed);
      if (!stager) return;
      try {
        await stager.client.query(`drop table if exists ${stagingTables(table).join(', ')}`);
        await stager.client.query('select pg_advisory_unlock($1, hashtext($2))', [STAGING_LOCK_CLASS, table]);
        await stager.client.query('reset all');
        stager.release();
      } catch {
        // A connection in an unknown state does not go back to the pool; the next import sweeps.
        stager.release(true);
      }
    } finally {
      done();
    }
  };
  try {
    stager = await checkout(pool);
    await sweepAbandonedStaging(stager.client);
    await stager.client.query('select pg_advisory_lock($1, hashtext($2))', [STAGING_LOCK_CLASS, table]);
    const iterator = bytes[Symbol.asyncIterator]();
    const first = await iterator.next();
    const head = first.done ? Buffer.alloc(0) : first.value;
    const statements = stagingSql(mapping, lineColumns, detectNullMarker(head.subarray(0, 256 * 1024).toString('utf8')), table, tagKeys);
    // Timestamps without a zone are UTC, as on the exact path.
    await stager.client.query(`set timezone to 'UTC'`);
    await stager.client.query(statements.createStaging);
    const rows = await copyCsv(stager.client, statements, first.done ? null : head, iterator, onChunk);
    summing = await checkout(pool);
    const client = summing.client;
    rollups = (async () => {
      try {
        // JIT compiles these wide statements for seconds and gains nothing back on a single pass.
        await client.query(`set jit = off; set work_mem = '64MB'; set timezone to 'UTC'`);
        const tables = rollupTables(table);
        await client.query(`create unlogged table ${tables.resource} as ${statements.resourceRollups}`);
        await client.query(`create unlogged table ${tables.day} as ${serviceRollupSelect(tables.resource)}`);
        await client.query(`create unlogged table ${tables.month} as ${monthRollupSelect(tables.day)}`);
        await client.query('reset all');
        return tables;
      } catch (error) {
        summingFailed = true;
        throw error;
      }
    })();
    rollups.catch(() => undefined);
    return { rows, insertLines: statements.insertLines, rollups, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function copyCsv(client: pg.PoolClient, statements: StagingSql, head: Buffer | null, rest: AsyncIterator<Buffer>, onChunk?: () => void): Promise<number> {
  const copy = startCopy(client, `copy ${statements.copyTarget} from stdin ${statements.copyOptions}`);
  try {
    if (head) await copy.write(head);
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      await copy.write(next.value);
      onChunk?.();
    }
    return await copy.end();
  } catch (error) {
    await copy.abort('import aborted');
    throw error;
  }
}
