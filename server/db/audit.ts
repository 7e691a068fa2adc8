import 'server-only';
import { and, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { auditLog } from './schema';

export type AuditEntryInput = typeof auditLog.$inferInsert;
export type AuditEntry = typeof auditLog.$inferSelect;
export type AuditResult = AuditEntry['result'];

export async function insertAuditEntry(db: Db, entry: AuditEntryInput): Promise<AuditEntry> {
  const [row] = await db.insert(auditLog).values(entry).returning();
  if (!row) throw new Error('audit insert returned no row');
  return row;
}

/** Turns an 'allowed' row into its outcome once the change has been tried. */
export async function completeAuditEntry(
  db: Db,
  id: number,
  outcome: { result: 'succeeded' | 'failed'; statusCode: number | null; durationMs: number; message?: string },
): Promise<void> {
  await db
    .update(auditLog)
    .set({
      result: outcome.result,
      statusCode: outcome.statusCode,
      durationMs: outcome.durationMs,
      message: outcome.message ?? null,
    })
    .where(eq(auditLog.id, id));
}

export interface AuditFilter {
  cluster?: string;
  namespace?: string;
  target?: string;
  verb?: string;
  actor?: string;
  results?: AuditResult[];
  /** Free text matched against actor, verb, target, namespace and message (case-insensitive). */
  search?: string;
  since?: Date;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function conditionsOf(filter: AuditFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.cluster) conditions.push(eq(auditLog.cluster, filter.cluster));
  if (filter.namespace) conditions.push(eq(auditLog.namespace, filter.namespace));
  if (filter.target) conditions.push(eq(auditLog.target, filter.target));
  if (filter.verb) conditions.push(eq(auditLog.verb, filter.verb));
  if (filter.actor) conditions.push(eq(auditLog.actor, filter.actor));
  if (filter.results && filter.results.length > 0) conditions.push(inArray(auditLog.result, filter.results));
  if (filter.since) conditions.push(gte(auditLog.at, filter.since));
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    const text = or(
      ilike(auditLog.actor, pattern),
      ilike(auditLog.verb, pattern),
      ilike(auditLog.target, pattern),
      ilike(auditLog.namespace, pattern),
      ilike(auditLog.message, pattern),
    );
    if (text) conditions.push(text);
  }
  return conditions;
}

/** Newest first; `beforeId` pages backwards. */
export async function listAuditEntries(
  db: Db,
  options: { limit: number; beforeId?: number; filter?: AuditFilter },
): Promise<AuditEntry[]> {
  const conditions = conditionsOf(options.filter ?? {});
  if (options.beforeId !== undefined) conditions.push(lt(auditLog.id, options.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(options.limit);
}

/** Changes (not refusals) an actor attempted since `since`: the per-user rate limit counts these. */
export async function countChangesSince(db: Db, actor: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.actor, actor),
        gte(auditLog.at, since),
        inArray(auditLog.result, ['allowed', 'succeeded', 'failed']),
      ),
    );
  return row?.n ?? 0;
}
