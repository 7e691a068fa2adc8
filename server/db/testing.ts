// Test helpers: every test file makes its own database and drops it afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from './client';

export const POSTGRES_ADMIN_URL = process.env.BURNRATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDriver = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  /** For Postgres: the URL of the fresh database (other processes can connect to it). */
  url?: string;
  dataDir?: string;
  /** Closes and drops the database (or deletes the PGlite directory). */
  destroy(): Promise<void>;
}

/** True when a Postgres server answers at the admin URL's host and port. */
export async function postgresAnswers(): Promise<boolean> {
  const { hostname, port } = new URL(POSTGRES_ADMIN_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

/** The drivers to run database tests on: PGlite always, Postgres when it answers. */
export async function testDrivers(): Promise<TestDriver[]> {
  return (await postgresAnswers()) ? ['pglite', 'postgres'] : ['pglite'];
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
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
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
      const dropper = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
