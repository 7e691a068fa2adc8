// Test helpers: every test file makes its own database and drops it afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from './client';

export const POSTGRES_ADMIN_URL =
  process.env.BURNRATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDriver = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  /** For Postgres: the URL of the fresh database (other processes can connect to it). */
  url?: string;
  dataDir?: string;
  /** Closes and drops the database (or deletes the PGlite directory). */
  destroy(): Promise<void>;
}

/**
 * The drivers every database test runs on: both, always. `npm test` starts a throwaway Postgres when
 * none answers at 127.0.0.1:5432 (scripts/lib/test-postgres.ts) and sets BURNRATE_TEST_POSTGRES_URL.
 */
export async function testDrivers(): Promise<TestDriver[]> {
  return ['pglite', 'postgres'];
}

async function connectAdmin(): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `no Postgres at ${POSTGRES_ADMIN_URL} (${reason}): run the tests with npm test, which starts one, or set BURNRATE_TEST_POSTGRES_URL`,
    );
  }
  return admin;
}

export async function createTestDatabase(driver: TestDriver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-pglite-'));
    const database = await openDatabase({ dataDir });
    return {
      ...database,
      dataDir,
      destroy: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `burnrate_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = await connectAdmin();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    destroy: async () => {
      await database.close();
      const dropper = await connectAdmin();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
