// A row the database refused during COPY, told as the file's line, column and value.
import { CopyRowError } from '@/server/db/billing-copy';
import { ImportRejectedError } from './errors';
import type { CopyLayout } from './copy-layout';

const DATE_TIME = 'not a valid date-time (expected YYYY-MM-DDTHH:MM:SS[Z|±HH:MM])';

/** The billing_lines column a check constraint is about, and what its breach means. */
function constraintMeaning(constraint: string): { dbColumn: string; message: string } | null {
  if (constraint === 'billing_lines_charge_period_check')
    return { dbColumn: 'charge_period_end', message: 'ChargePeriodEnd is before ChargePeriodStart' };
  const match = /^billing_lines_(\w+?)_(finite|object)_check$/.exec(constraint);
  if (!match) return null;
  return {
    dbColumn: match[1]!,
    message: match[2] === 'finite' ? 'not a finite decimal number' : 'not a valid JSON object',
  };
}

/** What a conversion error means for a person reading the file. */
function conversionMessage(error: CopyRowError): string {
  if (error.code === '23502') return 'mandatory value is missing';
  if (/type numeric/.test(error.message)) return `not a decimal number (${error.message})`;
  if (/type json|Unicode|unicode/.test(error.message)) return `not a valid JSON object (${error.message})`;
  if (/timestamp|date\/time|time zone/.test(error.message)) return `${DATE_TIME} (${error.message})`;
  return error.message;
}

/** The cell of `dbColumn` in a row of COPY text as the database quoted it back. */
function cellOf(row: string | null, layout: CopyLayout, dbColumn: string): string | null {
  const index = layout.columns.indexOf(dbColumn);
  const cell = row?.split('\t')[index];
  return cell === undefined || cell === '\\N' ? null : cell;
}

/**
 * The import's error as the person who sent the file should see it: a refused row becomes an
 * ImportRejectedError naming the file line (from `copyLines`, the lines of the COPY statement's
 * rows in order), the column and the value; anything else is returned as it is.
 */
export function rejectionOf(
  error: unknown,
  copyLines: readonly Int32Array[],
  layout: CopyLayout,
  fileName: string,
): unknown {
  if (!(error instanceof CopyRowError)) return error;
  let line = -1;
  let rest = error.copyLine - 1;
  for (const lines of copyLines) {
    if (rest < lines.length) {
      line = lines[rest]!;
      break;
    }
    rest -= lines.length;
  }
  const meaning = error.constraint ? constraintMeaning(error.constraint) : null;
  const dbColumn = meaning?.dbColumn ?? error.column;
  const column = dbColumn ? (layout.headerOf.get(dbColumn) ?? dbColumn) : null;
  const value = meaning && dbColumn ? cellOf(error.row, layout, dbColumn) : error.value;
  return new ImportRejectedError(fileName, [
    { line, column, value, message: meaning?.message ?? conversionMessage(error) },
  ]);
}
