import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, selectRows } from './client';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('burnrate migrate (CLI) on PGlite', () => {
  let home = '';
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('creates the embedded database under BURNRATE_HOME with every migration applied', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'burnrate-migrate-'));
    // Without DATABASE_URL (child_process leaves undefined variables out) the embedded database serves.
    const env = { ...process.env, BURNRATE_HOME: home, DATABASE_URL: undefined };
    const { stdout } = await run(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'server/cli.ts', 'migrate'],
      { cwd: ROOT, env, timeout: 170_000 },
    );
    expect(stdout).toContain('pglite');

    const migrations = (await readdir(path.join(ROOT, 'drizzle'))).filter((f) => f.endsWith('.sql'));
    const database = await openDatabase({ dataDir: path.join(home, 'db') });
    try {
      const rows = await selectRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(rows[0]?.n).toBe(migrations.length);
    } finally {
      await database.close();
    }
  }, 240_000);
});
