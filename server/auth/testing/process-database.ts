// Route handlers reach the database through getDatabase(), the process's one database. A test
// installs its own (from createTestDatabase) under the same global key that getDatabase() fills.
import type { Database } from '@/server/db/client';

const globalKey = Symbol.for('burnrate.database');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Database> };

/** Makes getDatabase() answer `database` until the returned function puts the previous one back. */
export function useAsProcessDatabase(database: Database): () => void {
  const g = globalThis as GlobalWithDb;
  const previous = g[globalKey];
  g[globalKey] = Promise.resolve(database);
  return () => {
    if (previous) g[globalKey] = previous;
    else delete g[globalKey];
  };
}
