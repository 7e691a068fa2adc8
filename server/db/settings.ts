import 'server-only';
import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { settings } from './schema';

export async function readSetting(db: Db, key: string): Promise<unknown> {
  const rows = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return rows[0]?.value;
}

export async function writeSetting(db: Db, key: string, value: unknown, updatedBy: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedBy })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy, updatedAt: new Date() } });
}
