import 'server-only';
import { desc, lt } from 'drizzle-orm';
import type { Db } from './client';
import { auditLog } from './schema';

export type AuditEntryInput = typeof auditLog.$inferInsert;
export type AuditEntry = typeof auditLog.$inferSelect;

export async function insertAuditEntry(db: Db, entry: AuditEntryInput): Promise<AuditEntry> {
  const [row] = await db.insert(auditLog).values(entry).returning();
  if (!row) throw new Error('audit insert returned no row');
  return row;
}

/** Newest first; `beforeId` pages backwards. */
export async function listAuditEntries(db: Db, options: { limit: number; beforeId?: number }): Promise<AuditEntry[]> {
  const query = db.select().from(auditLog);
  const filtered = options.beforeId === undefined ? query : query.where(lt(auditLog.id, options.beforeId));
  return filtered.orderBy(desc(auditLog.id)).limit(options.limit);
}
