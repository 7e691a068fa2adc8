import 'server-only';
import { desc, sql } from 'drizzle-orm';
import type { Db } from './client';
import { alertEvents } from './schema';

export type AlertEventInput = typeof alertEvents.$inferInsert;
export type AlertEvent = typeof alertEvents.$inferSelect;

/** Inserts new episodes and updates known ones (status, end, annotations) in one statement. */
export async function upsertAlertEvents(db: Db, events: AlertEventInput[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = await db
    .insert(alertEvents)
    .values(events)
    .onConflictDoUpdate({
      target: [alertEvents.fingerprint, alertEvents.startsAt],
      set: {
        status: sql`excluded.status`,
        endsAt: sql`excluded.ends_at`,
        annotations: sql`excluded.annotations`,
        lastReceivedAt: sql`now()`,
      },
    })
    .returning({ id: alertEvents.id });
  return rows.length;
}

export async function listAlertEvents(db: Db, limit: number): Promise<AlertEvent[]> {
  return db.select().from(alertEvents).orderBy(desc(alertEvents.lastReceivedAt), desc(alertEvents.id)).limit(limit);
}
