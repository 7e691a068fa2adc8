// How a file's columns become COPY text for billing_lines, and the two values read here: the
// month of ChargePeriodStart, which picks the partition, and ChargeCategory, a closed list reported
// with its value. Every other check is the table's.
import { CHARGE_CATEGORIES, FOCUS_FIELDS, type ColumnMapping } from './focus-columns';
import type { ImportIssue } from './errors';

export const MAX_FIELD_BYTES = 1024 * 1024;

/** A cell as the Parquet reader hands it over; null = missing. */
export type Cell = string | null;

export const ROLE_COPY = 0;
export const ROLE_EXTRA = 1;
export const ROLE_SKIP = 2;

export interface CopyLayout {
  /** COPY column list: import_id, line_number, the file's known columns in file order, then extra. */
  columns: string[];
  /** Per file column: ROLE_COPY, ROLE_EXTRA (kept in `extra` under its header name) or ROLE_SKIP. */
  roles: Uint8Array;
  /** Per file column in `extra`: its key as COPY-escaped JSON, `"name":`. */
  extraKeys: (Buffer | null)[];
  /** The file columns of ChargePeriodStart and ChargeCategory. */
  chargeStartIndex: number;
  categoryIndex: number;
  /** File column name of each billing_lines column the file fills. */
  headerOf: Map<string, string>;
  header: string[];
}

const CHARGE_START = FOCUS_FIELDS.findIndex((f) => f.dbColumn === 'charge_period_start');
const CATEGORY = FOCUS_FIELDS.findIndex((f) => f.dbColumn === 'charge_category');
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function copyLayout(mapping: ColumnMapping): CopyLayout {
  const { header, fieldIndexes, extraIndexes } = mapping;
  const roles = new Uint8Array(header.length).fill(ROLE_SKIP);
  const dbColumnOf = new Map<number, string>();
  FOCUS_FIELDS.forEach((field, f) => {
    const index = fieldIndexes[f]!;
    if (index >= 0) dbColumnOf.set(index, field.dbColumn);
  });
  const columns = ['import_id', 'line_number'];
  const headerOf = new Map<string, string>();
  const extraKeys: (Buffer | null)[] = header.map(() => null);
  for (let index = 0; index < header.length; index++) {
    const dbColumn = dbColumnOf.get(index);
    if (dbColumn) {
      roles[index] = ROLE_COPY;
      columns.push(dbColumn);
      headerOf.set(dbColumn, header[index]!);
    }
  }
  for (const index of extraIndexes) {
    roles[index] = ROLE_EXTRA;
    extraKeys[index] = Buffer.from(escapeCopyText(`${JSON.stringify(header[index])}:`));
  }
  if (extraIndexes.length > 0) columns.push('extra');
  return {
    columns,
    roles,
    extraKeys,
    chargeStartIndex: fieldIndexes[CHARGE_START]!,
    categoryIndex: fieldIndexes[CATEGORY]!,
    headerOf,
    header,
  };
}

/** FOCUS CSV exports write missing values as empty fields or the bare word NULL. */
export function isMissing(value: Cell | undefined): value is null | undefined {
  return value === null || value === undefined || value === '' || value === 'NULL';
}

export function escapeCopyText(value: string): string {
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Parses a FOCUS date-time to epoch ms; zone-less values are UTC, impossible dates (2024-02-30) are null. */
export function parseFocusTimestamp(value: string): number | null {
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS_IN_MONTH[month - 1] ?? 0) + (leap ? 1 : 0)) return null;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || 0);
    if (hours > 14 || minutes > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return (
    Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(Number(m[7] ?? 0) * 1000) - offsetMinutes * 60_000
  );
}

/** Start of the UTC month holding `epochMs`: the partition a line goes to. */
export function monthStartMs(epochMs: number): number {
  const at = new Date(epochMs);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
}

/** ChargePeriodStart in epoch ms, or the problem with it (it picks the partition, so it is read here). */
export function chargeStartMs(value: string | null, line: number, layout: CopyLayout): number | ImportIssue {
  const column = layout.header[layout.chargeStartIndex] ?? 'ChargePeriodStart';
  if (isMissing(value)) return { line, column, value, message: 'mandatory value is missing' };
  const epochMs = parseFocusTimestamp(value);
  if (epochMs === null)
    return { line, column, value, message: 'not a valid date-time (expected YYYY-MM-DDTHH:MM:SS[Z|±HH:MM])' };
  return epochMs;
}

/** The problem with a ChargeCategory value, if any (a missing one is the table's NOT NULL to refuse). */
export function categoryIssue(value: string | null, line: number, layout: CopyLayout): ImportIssue | null {
  if (isMissing(value) || CHARGE_CATEGORIES.has(value)) return null;
  const column = layout.header[layout.categoryIndex] ?? 'ChargeCategory';
  return { line, column, value, message: `ChargeCategory must be one of ${[...CHARGE_CATEGORIES].join(', ')}` };
}

/** One row of cells (Parquet) as a line of COPY text, or the problem with it. */
export function encodeCells(
  row: readonly Cell[],
  line: number,
  importId: number,
  layout: CopyLayout,
): string | ImportIssue {
  const category = categoryIssue(row[layout.categoryIndex] ?? null, line, layout);
  if (category) return category;
  let out = `${importId}\t${line}`;
  const extra: Record<string, string> = {};
  let hasExtra = false;
  for (let i = 0; i < layout.roles.length; i++) {
    const value = row[i];
    if (value && value.length > MAX_FIELD_BYTES / 3 && Buffer.byteLength(value) > MAX_FIELD_BYTES) {
      return {
        line,
        column: layout.header[i] ?? null,
        value: `${value.slice(0, 40)}…`,
        message: `field is over ${MAX_FIELD_BYTES} bytes`,
      };
    }
    if (layout.roles[i] === ROLE_COPY) out += isMissing(value) ? '\t\\N' : `\t${escapeCopyText(value)}`;
    else if (layout.roles[i] === ROLE_EXTRA && !isMissing(value)) {
      extra[layout.header[i]!] = value;
      hasExtra = true;
    }
  }
  if (layout.columns.at(-1) === 'extra') out += hasExtra ? `\t${escapeCopyText(JSON.stringify(extra))}` : '\t\\N';
  return `${out}\n`;
}
