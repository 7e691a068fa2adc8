// Postgres fast path for CSV: the server parses the CSV (COPY FORMAT csv into a temp table) and
// one INSERT … SELECT casts, checks and maps it. Any failure sends the caller to the exact JS
// path, which re-reads the file and reports each problem with its line and column.
import type { BulkTransaction } from '@/server/db/billing-copy';
import { CHARGE_CATEGORIES, FOCUS_FIELDS, type ColumnMapping } from './focus-columns';
import { MAX_FIELD_BYTES } from './row-encoder';

const DECIMAL_RE = String.raw`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?$`;
const TIMESTAMP_RE = String.raw`^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?\s*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?$`;
/** Postgres caps function arguments at 100: jsonb_build_object takes at most 50 pairs per call. */
const MAX_PAIRS = 50;

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

/** The SQL for one file's header; pure, so the generated statement can be read in a test. */
export function stagingSql(mapping: ColumnMapping, lineColumns: readonly string[]): StagingSql {
  const cells = mapping.header.map((_, index) => `c${index}`);
  const value = (index: number): string => (index < 0 ? 'null' : `nullif(nullif(s.c${index}, ''), 'NULL')`);
  const reject = (index: number, field: string, reason: string, cast: string): string =>
    `burnrate_focus_reject(s.n, ${literal(mapping.header[index] ?? field)}, ${index < 0 ? 'null' : `s.c${index}`}, ${literal(reason)})::${cast}`;
  const startIndex = mapping.fieldIndexes[FOCUS_FIELDS.findIndex((f) => f.dbColumn === 'charge_period_start')]!;

  const expressions = FOCUS_FIELDS.map((field, f) => {
    const index = mapping.fieldIndexes[f]!;
    const v = value(index);
    const missing = field.required ? reject(index, field.sources[0]!, 'mandatory value is missing', 'text') : 'null';
    switch (field.kind) {
      case 'money':
      case 'decimal':
        return `case when ${v} is null then ${missing}::numeric when btrim(${v}) !~ ${literal(DECIMAL_RE)} then ${reject(index, field.dbColumn, 'not a decimal number', 'numeric')} else btrim(${v})::numeric end`;
      case 'timestamp': {
        const order = field.dbColumn === 'charge_period_end'
          ? ` when btrim(${v})::timestamptz < btrim(${value(startIndex)})::timestamptz then ${reject(index, field.dbColumn, 'ChargePeriodEnd is before ChargePeriodStart', 'timestamptz')}`
          : '';
        return `case when ${v} is null then ${missing}::timestamptz when btrim(${v}) !~ ${literal(TIMESTAMP_RE)} then ${reject(index, field.dbColumn, 'not a valid date-time', 'timestamptz')}${order} else btrim(${v})::timestamptz end`;
      }
      case 'json':
        return `case when ${v} is null then null when jsonb_typeof(${v}::jsonb) <> 'object' then ${reject(index, field.dbColumn, 'not a valid JSON object', 'jsonb')} else ${v}::jsonb end`;
      default:
        if (field.dbColumn === 'charge_category') {
          const allowed = [...CHARGE_CATEGORIES].map(literal).join(', ');
          return `case when ${v} is null then ${missing} when ${v} not in (${allowed}) then ${reject(index, field.dbColumn, 'ChargeCategory not allowed', 'text')} else ${v} end`;
        }
        return field.required ? `case when ${v} is null then ${missing} else ${v} end` : v;
    }
  });
  const longest = cells.length === 1 ? `octet_length(s.c0)` : `greatest(${cells.map((c) => `octet_length(s.${c})`).join(', ')})`;
  const lineNumber = `case when ${longest} > ${MAX_FIELD_BYTES} then burnrate_focus_reject(s.n, null, null, 'field over ${MAX_FIELD_BYTES} bytes')::int else (s.n + 1)::int end`;
  const pairs = mapping.extraIndexes.map((index) => `${literal(mapping.header[index]!)}, ${value(index)}`);
  const objects: string[] = [];
  for (let at = 0; at < pairs.length; at += MAX_PAIRS) objects.push(`jsonb_build_object(${pairs.slice(at, at + MAX_PAIRS).join(', ')})`);
  const extra = objects.length === 0 ? 'null' : `nullif(jsonb_strip_nulls(${objects.join(' || ')}), '{}'::jsonb)`;
  return {
    createStaging: `create temp table focus_staging (n bigserial, ${cells.map((c) => `${c} text`).join(', ')}) on commit drop`,
    copyTarget: `focus_staging (${cells.join(', ')})`,
    copyOptions: `with (format csv, header true)`,
    insertLines: `insert into billing_lines (${lineColumns.join(', ')}) select $1, ${lineNumber}, ${expressions.join(',\n ')}, ${extra} from focus_staging s`,
  };
}

/** Loads a CSV's rows through the server's own CSV parser; resolves with the row count. */
export async function loadCsvOnServer(tx: BulkTransaction, mapping: ColumnMapping, importId: number, bytes: AsyncIterable<Buffer>, lineColumns: readonly string[], onChunk?: () => void): Promise<number> {
  const statements = stagingSql(mapping, lineColumns);
  await tx.query(`set local timezone to 'UTC'`);
  await tx.query(statements.createStaging);
  const copy = tx.copyIn(statements.copyTarget, statements.copyOptions);
  for await (const chunk of bytes) {
    await copy.write(chunk);
    onChunk?.();
  }
  const staged = await copy.end();
  const { rowCount: inserted } = await tx.query(statements.insertLines, [importId]);
  if (inserted !== staged) throw new Error(`staged ${staged} rows but inserted ${inserted}`);
  return inserted;
}
