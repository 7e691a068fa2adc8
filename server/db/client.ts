import 'server-only';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import { appConfig } from '@/server/config';
import pg from 'pg';
import * as schema from './schema';
import { logger } from '@/server/observability/logger';
import { burnrateHome, projectRoot } from '@/server/paths';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** Where the data lives, without credentials: a host/database or a directory. */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`; without it an embedded PGlite database under `dataDir` serves. */
  url?: string;
  dataDir?: string;
}

/** Any fixed 64-bit number: both app replicas must agree on it so migrations run one at a time. */
const MIGRATION_LOCK_KEY = 4_237_001;

export function migrationsFolder(): string {
  return appConfig().migrationsDir ?? path.join(projectRoot(), 'drizzle');
}

/** Opens the database and brings its schema up to date (idempotent; safe for concurrent starts). */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url);
  return openPglite(options.dataDir ?? path.join(burnrateHome(), 'db'));
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server ends (a restart, a failover, pg_terminate_backend, a dropped
  // database) is reported on the pool; without a listener that 'error' event would end the process.
  // The pool has already discarded the connection: the next query opens a new one.
  pool.on('error', (error: Error & { code?: string }) => {
    logger().warn(
      { code: error.code, error: error.message, database: new URL(url).pathname },
      'idle Postgres connection closed by the server',
    );
  });
  const db = drizzlePostgres(pool, { schema });
  const lockClient = await pool.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePostgres(db, { migrationsFolder: migrationsFolder() });
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    lockClient.release();
  }
  const parsed = new URL(url);
  return {
    db: db as unknown as Db,
    driver: 'postgres',
    location: `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`,
    close: () => pool.end(),
  };
}

/**
 * PGlite is a single-process database: a second process opening the same directory corrupts it.
 * A pid file next to it makes the second opener fail with a message that says what to do instead.
 */
function lockPgliteDirectory(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  try {
    writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lockPath, 'utf8'));
    if (holder && holder !== process.pid && processIsAlive(holder)) {
      throw new Error(
        `The embedded database ${dataDir} is in use by process ${holder} (a running Burnrate app?). ` +
          'Stop that process, go through the running app (upload, POST /api/billing/imports), or set DATABASE_URL to a Postgres database.',
      );
    }
    writeFileSync(lockPath, String(process.pid));
  }
  return () => {
    try {
      if (Number(readFileSync(lockPath, 'utf8')) === process.pid) unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database holds settings, the audit log and the demo's billing: Postgres's default
 * 128 MB of shared buffers is memory the app process keeps for nothing. Deployments with real data
 * use Postgres.
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];

/** Creates a new PGlite data directory (initdb), then exits. Module resolution from the cwd. */
const INIT_SCRIPT = `const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create(process.env.BURNRATE_PGLITE_INIT_DIR);
await db.close();`;

/**
 * initdb runs in a child process when the directory is new. In this process it left ~450 MB of
 * WebAssembly memory behind for good (measured here: PGlite opened on a new directory 590–720 MB
 * RSS, on an existing one 160–180 MB; a forced GC did not give it back).
 */
async function initPgliteDirectory(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', INIT_SCRIPT], {
      env: { ...process.env, BURNRATE_PGLITE_INIT_DIR: dataDir },
      timeout: 120_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`Could not create the embedded database in ${dataDir}: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}

async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockPgliteDirectory(dataDir);
  let client: PGlite;
  try {
    await initPgliteDirectory(dataDir);
    client = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite(client, { schema });
  await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  try {
    await migratePglite(db, { migrationsFolder: migrationsFolder() });
  } finally {
    await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  }
  return {
    db: db as unknown as Db,
    driver: 'pglite',
    location: dataDir,
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

const globalKey = Symbol.for('burnrate.database');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Database> };

/**
 * The process's one database, opened on first use from `DATABASE_URL` (else PGlite).
 * PGlite costs ~650 MB and ~2 s to open, so it must never be opened twice in a process.
 */
export function getDatabase(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  g[globalKey] ??= openDatabase({ url: appConfig().databaseUrl }).catch((error: unknown) => {
    delete g[globalKey];
    throw error;
  });
  return g[globalKey];
}

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`, which drizzle types as unknown. */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
