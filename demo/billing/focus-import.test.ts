import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFocusExports } from './focus-export.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run burnrate -- import <dir>` on its own embedded (PGlite) database under `home`. */
function importWithCli(dir: string, home: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'server/cli.ts', 'import', dir],
      {
        cwd: ROOT,
        env: { ...process.env, BURNRATE_HOME: home, DATABASE_URL: '' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the demo bill through the app importer', () => {
  let dir: string;
  let home: string;
  let files: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'focus-import-'));
    home = await mkdtemp(path.join(tmpdir(), 'burnrate-home-'));
    files = await writeFocusExports({
      dir,
      fromMs: Date.UTC(2026, 9, 20),
      toMs: Date.UTC(2026, 10, 2, 6, 30),
      seed: 3,
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('imports the FOCUS 1.2 and 1.3 months with no error, every row and every dollar', async () => {
    const run = await importWithCli(dir, home);
    expect(run.code, run.stderr).toBe(0);
    for (const [file, version] of [
      [files[0]!, '1.2'],
      [files[1]!, '1.3'],
    ] as const) {
      const rows = Papa.parse<Record<string, string>>(await readFile(file, 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      const billed = rows.reduce((s, r) => s.plus(r.BilledCost!), new Decimal(0));
      const report = run.stdout.slice(run.stdout.indexOf(path.basename(file)));
      expect(report).toMatch(
        new RegExp(`^${path.basename(file)}: imported ${rows.length} rows \\(FOCUS ${version.replace('.', '\\.')}`),
      );
      const total = /BilledCost (-?[\d.]+)/.exec(report)?.[1];
      expect(total && new Decimal(total).equals(billed), `${file}: ${total} against ${billed.toFixed()}`).toBe(true);
    }
  }, 420_000);
});
