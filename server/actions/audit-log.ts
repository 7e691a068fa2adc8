import 'server-only';
import { z } from 'zod';
import { getDatabase } from '@/server/db/client';
import { listAuditEntries, type AuditEntry } from '@/server/db/audit';

export const auditFilterSchema = z.object({
  cluster: z.string().max(253).optional(),
  namespace: z.string().max(253).optional(),
  target: z.string().max(300).optional(),
  verb: z.string().max(64).optional(),
  actor: z.string().max(300).optional(),
  results: z.array(z.enum(['allowed', 'denied', 'failed', 'succeeded'])).optional(),
  search: z.string().max(200).optional(),
});
export type AuditFilterInput = z.infer<typeof auditFilterSchema>;

export async function searchAuditLog(
  filter: AuditFilterInput,
  limit: number,
  beforeId?: number,
): Promise<AuditEntry[]> {
  const { db } = await getDatabase();
  return listAuditEntries(db, { limit, beforeId, filter });
}

/**
 * A spreadsheet would run a cell starting with = + - @ (or tab/CR) as a formula: prefix it with
 * a quote (OWASP's CSV injection advice), then quote per RFC 4180.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : value instanceof Date
          ? value.toISOString()
          : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const columns = [
  'id',
  'at',
  'requestId',
  'actor',
  'role',
  'verb',
  'cluster',
  'namespace',
  'target',
  'parameters',
  'dryRunDiff',
  'result',
  'statusCode',
  'durationMs',
  'message',
] as const;

export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [columns.join(',')];
  for (const entry of entries) lines.push(columns.map((column) => csvCell(entry[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
