// Postgres fast path for CSV: the server parses and types the CSV (COPY FORMAT csv into a temp
// table typed per column, as psql \copy would) and one INSERT … SELECT checks and maps it. Any
// failure sends the caller to the exact JS path, which reports each problem with line and column.
import type { BulkTransaction } from '@/server/db/billing-copy';
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
}

/**
 * The SQL for one file's header; pure, so the generated statement can be read in a test.
 * `nullMarker`: the word the file writes for a missing value ('NULL' in the official sample, or
 * nothing); a file mixing both fails the typed COPY and takes the exact path.
 */
export function stagingSql(mapping: ColumnMapping, lineColumns: readonly string[], nullMarker: 'NULL' | ''): StagingSql {
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
  return {
    createStaging: `create temp table focus_staging (n bigserial, ${cells.map((c, i) => `${c} ${types[i]}`).join(', ')}) on commit drop`,
    copyTarget: `focus_staging (${cells.join(', ')})`,
    copyOptions: `with (format csv, header true, null ${literal(nullMarker)}, force_null (${cells.join(', ')}))`,
    insertLines: `insert into billing_lines (${lineColumns.join(', ')}) select $1, ${lineNumber}, ${checked.join(',\n ')}, ${extra} from focus_staging s`,
  };
}

/** Which missing-value spelling a file uses, from its first rows (unquoted NULL, else empty). */
export function detectNullMarker(head: string): 'NULL' | '' {
  return /(^|,)NULL(,|\r?\n|$)/m.test(head) ? 'NULL' : '';
}

/** Loads a CSV's rows through the server's own CSV parser; resolves with the row count. */
export async function loadCsvOnServer(tx: BulkTransaction, mapping: ColumnMapping, importId: number, bytes: AsyncIterable<Buffer>, lineColumns: readonly string[], onChunk?: () => void): Promise<number> {
  const iterator = bytes[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const statements = stagingSql(mapping, lineColumns, detectNullMarker(head.subarray(0, 256 * 1024).toString('utf8')));
  await tx.query(`set local timezone to 'UTC'`);
  // JIT compiles this wide statement for seconds and gains nothing back on a single pass.
  await tx.query(`set local jit = off`);
  await tx.query(statements.createStaging);
  const copy = tx.copyIn(statements.copyTarget, statements.copyOptions);
  if (!first.done) await copy.write(head);
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    await copy.write(next.value);
    onChunk?.();
  }
  const staged = await copy.end();
  const { rowCount: inserted } = await tx.query(statements.insertLines, [importId]);
  if (inserted !== staged) throw new Error(`staged ${staged} rows but inserted ${inserted}`);
  return inserted;
}
