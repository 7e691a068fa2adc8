import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { migrationsFolder, openDatabase, selectRows } from './client';
import { insertAuditEntry, listAuditEntries } from './audit';
import { readSetting, writeSetting } from './settings';
import { createTestDatabase, testDrivers, type TestDatabase } from './testing';

const drivers = await testDrivers();
const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), 'meta/_journal.json'), 'utf8')) as {
  entries: unknown[];
};
const journalEntries = journal.entries.length;

describe.each(drivers)('database on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('creates the schema from the migrations', async () => {
    const rows = await selectRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const tables = rows.map((row) => row.table_name);
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'settings']));
  });

  it('records each migration of drizzle/ exactly once', async () => {
    const rows = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(rows[0]?.n).toBe(journalEntries);
  });

  it('stores and updates a setting', async () => {
    await writeSetting(database.db, 'pue', { 'us-east-prod': 1.2 }, 'alice');
    await writeSetting(database.db, 'pue', { 'us-east-prod': 1.35 }, 'bob');
    expect(await readSetting(database.db, 'pue')).toEqual({ 'us-east-prod': 1.35 });
    expect(await readSetting(database.db, 'missing')).toBeUndefined();
  });

  it('lists audit entries newest first and pages backwards', async () => {
    for (const verb of ['scale', 'restart', 'rollback']) {
      await insertAuditEntry(database.db, {
        requestId: `req-${verb}`,
        actor: 'op@example.com',
        role: 'operator',
        verb,
        cluster: 'us-east-prod',
        namespace: 'llm-serving',
        target: 'deployment/chat-llm',
        parameters: { replicas: 4 },
        result: 'succeeded',
        statusCode: 200,
        durationMs: 12,
      });
    }
    const firstPage = await listAuditEntries(database.db, { limit: 2 });
    expect(firstPage.map((e) => e.verb)).toEqual(['rollback', 'restart']);
    const secondPage = await listAuditEntries(database.db, { limit: 2, beforeId: firstPage[1]!.id });
    expect(secondPage.map((e) => e.verb)).toEqual(['scale']);
    expect(secondPage[0]!.parameters).toEqual({ replicas: 4 });
  });
});

describe('reopening', () => {
  it('a PGlite database reopened from its directory keeps its data and re-applies nothing', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-reopen-'));
    try {
      const first = await openDatabase({ dataDir });
      await writeSetting(first.db, 'grid', { 'us-east-1': 379 }, 'admin');
      await first.close();
      const second = await openDatabase({ dataDir });
      expect(await readSetting(second.db, 'grid')).toEqual({ 'us-east-1': 379 });
      const rows = await selectRows<{ n: number }>(
        second.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(rows[0]?.n).toBe(journalEntries);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to open an embedded database another live process holds, and says what to do', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-locked-'));
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(`${dataDir}.lock`, String(holder.pid));
      await expect(openDatabase({ dataDir })).rejects.toThrow(
        new RegExp(`in use by process ${holder.pid}.*DATABASE_URL`),
      );
      holder.kill('SIGKILL');
      await once(holder, 'exit');
      const reopened = await openDatabase({ dataDir });
      expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
      await reopened.close();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}.lock`, { force: true });
    }
  });

  if (drivers.includes('postgres'))
    it('two Postgres replicas starting at once both succeed and apply the migrations once', async () => {
      const database = await createTestDatabase('postgres');
      try {
        const [a, b] = await Promise.all([openDatabase({ url: database.url }), openDatabase({ url: database.url })]);
        await Promise.all([a.close(), b.close()]);
        const rows = await selectRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        expect(rows[0]?.n).toBe(journalEntries);
      } finally {
        await database.destroy();
      }
    });

  if (drivers.includes('postgres'))
    it('survives the server ending its idle connections (a restart, a failover) and reconnects', async () => {
      const database = await createTestDatabase('postgres');
      try {
        await Promise.all([1, 2, 3].map(() => selectRows(database.db, sql`select pg_sleep(0.05)`)));
        // Another session ends every connection to this database; without a pool error listener the
        // 'error' event of an idle connection would end this process (vitest reports it as unhandled).
        const name = new URL(database.url!).pathname.slice(1);
        // A bare client: opening the admin database as the app would migrate it.
        const admin = new pg.Client({ connectionString: database.url!.replace(`/${name}`, '/postgres') });
        await admin.connect();
        try {
          const ended = await admin.query<{ n: number }>(
            'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          expect(ended.rows[0]?.n).toBeGreaterThan(0);
        } finally {
          await admin.end();
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        const rows = await selectRows<{ ok: number }>(database.db, sql`select 1 as ok`);
        expect(rows[0]?.ok).toBe(1);
      } finally {
        await database.destroy();
      }
    });
});
