import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDrivers } from '@/server/db/testing';
import { writeFocusCsv } from './focus-fixture';
import { importTestbed } from './import-test-data';

const SAMPLE = '/work/shared/data/focus/focus-1.0-official-sample.csv';
const ROOT = path.resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run burnrate` does (plus the react-server condition); `killWhen` sends SIGKILL. */
function runCli(args: string[], databaseUrl: string, killWhen?: (stderr: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen?.(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function counts(url: string): Promise<{ lines: number; imports: number; rollups: number; partitions: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } =
      await client.query(`select (select count(*) from billing_lines)::int as lines, (select count(*) from billing_imports)::int as imports,
      (select count(*) from billing_daily_rollups)::int + (select count(*) from billing_daily_resource_rollups)::int as rollups,
      (select count(*) from pg_inherits where inhparent = 'billing_lines'::regclass)::int as partitions`);
    return rows[0] as { lines: number; imports: number; rollups: number; partitions: number };
  } finally {
    await client.end();
  }
}

const postgres = (await testDrivers()).filter((driver) => driver === 'postgres');

describe.each(postgres)('burnrate import (CLI) on %s', (driver) => {
  const bed = importTestbed(driver, 'burnrate-cli-');

  it('prints rows and BilledCost/EffectiveCost per currency, then "already imported"', async () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(SAMPLE, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const billed = rows.reduce((sum, row) => sum.plus(row.BilledCost!), new Decimal(0)).toFixed(11);
    const effective = rows.reduce((sum, row) => sum.plus(row.EffectiveCost!), new Decimal(0)).toFixed(11);
    const first = await runCli(['import', SAMPLE], bed.database.url!);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${SAMPLE}: imported 1000 rows (FOCUS 1.0`);
    expect(first.stdout).toContain(`USD  BilledCost ${billed}  EffectiveCost ${effective}`);
    const second = await runCli(['import', path.dirname(SAMPLE)], bed.database.url!);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${SAMPLE}: already imported (import #1`);
  });

  it('exits non-zero with line, column and value for a rejected file', async () => {
    const bad = path.join(bed.dir, 'bad.csv');
    const text = readFileSync(SAMPLE, 'utf8').split('\n');
    text[2] = text[2]!.replace('0.00001605990', 'abc');
    writeFileSync(bad, text.join('\n'));
    const run = await runCli(['import', bad], bed.database.url!);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}: rejected, nothing imported`);
    expect(run.stderr).toContain('line 3, column BilledCost, value "abc": not a decimal number');
    expect(await counts(bed.database.url!)).toMatchObject({ lines: 1000, imports: 1 });
  });

  it('leaves no partial import when killed halfway through a large file', async () => {
    const file = path.join(bed.dir, 'large.csv');
    await writeFocusCsv(file, { rows: 100_000, version: '1.2', startDay: '2031-01-01', days: 31 });
    const before = await counts(bed.database.url!);
    const killed = await runCli(['import', '--progress', file], bed.database.url!, (stderr) => {
      return [...stderr.matchAll(/bytes=(\d+)\/(\d+)/g)].some((m) => Number(m[1]) >= Number(m[2]) * 0.3);
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).not.toContain('imported 100000 rows');
    // Killed during the COPY: no line, import, rollup or partition of its months is left.
    expect(await counts(bed.database.url!)).toEqual(before);
    const again = await runCli(['import', file], bed.database.url!);
    expect(again.stdout).toContain('imported 100000 rows');
    const afterAgain = await counts(bed.database.url!);
    expect(afterAgain.lines).toBe(before.lines + 100_000);
    expect(afterAgain.partitions).toBe(before.partitions + 1);
  }, 180_000);

  it('--format json: one object per file, an empty period as 0 rows, a rejection with its line and column', async () => {
    const empty = path.join(bed.dir, 'empty-period.csv');
    writeFileSync(empty, `${readFileSync(SAMPLE, 'utf8').split('\n')[0]}\n`);
    const bad = path.join(bed.dir, 'bad.csv');
    const run = await runCli(['import', '--format', 'json', empty, bad], bed.database.url!);
    expect(run.code).toBe(1);
    const [imported, rejected] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(imported).toMatchObject({ file: empty, status: 'imported', rowCount: 0, totals: {} });
    expect(rejected).toMatchObject({
      file: bad,
      status: 'rejected',
      issues: [{ line: 3, column: 'BilledCost', value: 'abc' }],
    });
    const again = await runCli(['import', '--format=json', empty], bed.database.url!);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'already-imported' });
  });
});
