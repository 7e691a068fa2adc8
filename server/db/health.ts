import 'server-only';
import { sql } from 'drizzle-orm';
import { getDatabase } from './client';

export interface DatabaseProbe {
  driver: 'postgres' | 'pglite';
  location: string;
}

/** Opens the database if needed and runs a trivial query; throws when it cannot answer. */
export async function probeDatabase(): Promise<DatabaseProbe> {
  const database = await getDatabase();
  await database.db.execute(sql`select 1`);
  return { driver: database.driver, location: database.location };
}
