// Validates one FOCUS row and encodes it as a line of Postgres COPY text format.
import { CHARGE_CATEGORIES, FOCUS_FIELDS, type ColumnMapping } from './focus-columns';
import type { ImportIssue } from './errors';

export const MAX_FIELD_BYTES = 1024 * 1024;

/** A cell as readers hand it over: CSV text, or text already converted from Parquet; null = missing. */
export type Cell = string | null;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** FOCUS CSV exports write missing values as empty fields or the bare word NULL. */
export function isMissing(value: Cell | undefined): value is null | undefined {
  return value === null || value === undefined || value === '' || value === 'NULL';
}

export function escapeCopyText(value: string): string {
  if (!NEEDS_COPY_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export interface ParsedTimestamp {
  /** For Postgres: ISO 8601 with an explicit zone (UTC when the file gave none). */
  text: string;
  epochMs: number;
}

/** Parses FOCUS date-times; zone-less values are UTC, impossible dates (2024-02-30) are rejected. */
export function parseFocusTimestamp(value: string): ParsedTimestamp | null {
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const leap = month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
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
  const fraction = m[7] ?? '';
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(Number(fraction || 0) * 1000) - offsetMinutes * 60_000;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const zoneText = zone && zone !== 'Z' && zone !== 'z' ? zone : '+00:00';
  return { text: `${m[1]}-${m[2]}-${m[3]}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${zoneText}`, epochMs };
}

function byteLengthOver(value: string, limit: number): boolean {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so short strings need no count.
  return value.length * 3 > limit && Buffer.byteLength(value, 'utf8') > limit;
}

export interface EncodedRow {
  copyLine: string;
  chargePeriodStartMs: number;
  chargePeriodEndMs: number;
}

const FIELD_INDEX = (dbColumn: string): number => FOCUS_FIELDS.findIndex((f) => f.dbColumn === dbColumn);
const CHARGE_START = FIELD_INDEX('charge_period_start');
const CHARGE_END = FIELD_INDEX('charge_period_end');
const CHARGE_CATEGORY = FIELD_INDEX('charge_category');

/**
 * Returns the COPY line (import_id, line_number, FOCUS_FIELDS..., extra) or pushes the row's
 * problems onto `issues` and returns null.
 */
export interface RowContext {
  mapping: ColumnMapping;
  importId: number;
  /** Set by the CSV reader once it met bytes that are not UTF-8: fields with U+FFFD are then rejected. */
  invalidUtf8: boolean;
}

export function encodeRow(row: readonly Cell[], line: number, context: RowContext, issues: ImportIssue[]): EncodedRow | null {
  const { header, fieldIndexes, extraIndexes } = context.mapping;
  const issueCount = issues.length;
  if (row.length !== header.length) {
    issues.push({ line, column: null, value: null, message: `expected ${header.length} fields, found ${row.length}` });
    return null;
  }
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (value && value.length > MAX_FIELD_BYTES / 3 && byteLengthOver(value, MAX_FIELD_BYTES)) {
      issues.push({ line, column: header[i] ?? null, value: `${value.slice(0, 40)}…`, message: `field is over ${MAX_FIELD_BYTES} bytes` });
    } else if (value && value.includes('\uFFFD') && context.invalidUtf8) {
      issues.push({ line, column: header[i] ?? null, value, message: 'invalid UTF-8 (bytes replaced by U+FFFD)' });
    }
  }
  if (issues.length > issueCount) return null;
  let out = `${context.importId}\t${line}`;
  let startMs = 0;
  let endMs = 0;
  for (let f = 0; f < FOCUS_FIELDS.length; f++) {
    const field = FOCUS_FIELDS[f]!;
    const index = fieldIndexes[f]!;
    const value = index < 0 ? null : row[index];
    if (isMissing(value)) {
      if (field.required) {
        issues.push({ line, column: header[index] ?? field.sources[0] ?? field.dbColumn, value: value ?? null, message: 'mandatory value is missing' });
      }
      out += '\t\\N';
      continue;
    }
    switch (field.kind) {
      case 'money':
      case 'decimal': {
        const trimmed = value.trim();
        if (!DECIMAL.test(trimmed)) {
          issues.push({ line, column: header[index]!, value, message: 'not a decimal number' });
          continue;
        }
        out += `\t${trimmed}`;
        break;
      }
      case 'timestamp': {
        const parsed = parseFocusTimestamp(value);
        if (!parsed) {
          issues.push({ line, column: header[index]!, value, message: 'not a valid date-time (expected YYYY-MM-DDTHH:MM:SS[Z|±HH:MM])' });
          continue;
        }
        if (f === CHARGE_START) startMs = parsed.epochMs;
        else if (f === CHARGE_END) endMs = parsed.epochMs;
        out += `\t${parsed.text}`;
        break;
      }
      case 'json': {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          parsed = undefined;
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          issues.push({ line, column: header[index]!, value, message: 'not a valid JSON object' });
          continue;
        }
        out += `\t${escapeCopyText(value)}`;
        break;
      }
      default:
        if (f === CHARGE_CATEGORY && !CHARGE_CATEGORIES.has(value)) {
          issues.push({ line, column: header[index]!, value, message: `ChargeCategory must be one of ${[...CHARGE_CATEGORIES].join(', ')}` });
          continue;
        }
        out += `\t${escapeCopyText(value)}`;
    }
  }
  if (issues.length === issueCount && endMs < startMs) {
    const endIndex = fieldIndexes[CHARGE_END]!;
    issues.push({ line, column: header[endIndex]!, value: row[endIndex] ?? null, message: 'ChargePeriodEnd is before ChargePeriodStart' });
  }
  if (issues.length > issueCount) return null;
  if (extraIndexes.length === 0) return { copyLine: `${out}\t\\N\n`, chargePeriodStartMs: startMs, chargePeriodEndMs: endMs };
  const extra: Record<string, string> = {};
  let hasExtra = false;
  for (const index of extraIndexes) {
    const value = row[index];
    if (!isMissing(value)) {
      extra[header[index]!] = value;
      hasExtra = true;
    }
  }
  return { copyLine: `${out}\t${hasExtra ? escapeCopyText(JSON.stringify(extra)) : '\\N'}\n`, chargePeriodStartMs: startMs, chargePeriodEndMs: endMs };
}

/** billing_lines columns in the order of encodeRow's output. */
export const COPY_COLUMNS: readonly string[] = ['import_id', 'line_number', ...FOCUS_FIELDS.map((f) => f.dbColumn), 'extra'];
