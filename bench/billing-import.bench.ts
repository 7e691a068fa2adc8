// FOCUS import into Postgres: rows/s against `psql \copy` of the same file, the importer's peak
// RSS, and explorer query p95 over the 12 months of rollups it wrote. Files live in a temp dir.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fixtureHeader, writeFocusCsv } from '../server/billing/focus-fixture';
import type { BenchRow } from './types';

const ROWS = 1_000_000;
const ROOT = path.resolve(import.meta.dirname, '..');
const ADMIN_URL = process.env.BURNRATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EXPLORER_RUNS = 20;

async function admin<T>(work: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

interface ChildRun {
  wallMs: number;
  peakRssBytes: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a command, sampling VmHWM (the kernel's peak resident set) from /proc while it lives. */
function runMeasured(command: string, args: string[], env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let peakRssBytes = 0;
    const sample = (): void => {
      try {
        const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (kb) peakRssBytes = Math.max(peakRssBytes, Number(kb) * 1024);
      } catch {
        // The process has exited between two samples.
      }
    };
    const timer = setInterval(sample, 50);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      sample();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ wallMs: performance.now() - started, peakRssBytes, stdout, stderr, code });
    });
  });
}

function cli(args: string[], url: string): Promise<ChildRun> {
  return runMeasured(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'server/cli.ts', ...args], {
    DATABASE_URL: url,
  });
}

/** The same columns as the file, typed as the importer types them, no indexes. */
function plainTableSql(): string {
  const types: Record<string, string> = {
    BilledCost: 'numeric',
    EffectiveCost: 'numeric',
    ListCost: 'numeric',
    ContractedCost: 'numeric',
    PricingQuantity: 'numeric',
    ConsumedQuantity: 'numeric',
    ListUnitPrice: 'numeric',
    ContractedUnitPrice: 'numeric',
    BillingPeriodStart: 'timestamptz',
    BillingPeriodEnd: 'timestamptz',
    ChargePeriodStart: 'timestamptz',
    ChargePeriodEnd: 'timestamptz',
    Tags: 'jsonb',
  };
  return `create table plain (${fixtureHeader('1.2')
    .map((c) => `"${c}" ${types[c] ?? 'text'}`)
    .join(', ')})`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs inside a child started with the react-server condition (the db module imports `server-only`). */
async function explorerChild(url: string): Promise<void> {
  const { openDatabase } = await import('../server/db/client');
  const { queryBillingExplorer } = await import('../server/db/billing-explorer');
  const database = await openDatabase({ url });
  const filters = { from: '2025-01-01', to: '2026-01-01' };
  const queries = [
    { filters, groupBy: null, granularity: 'day' as const },
    { filters, groupBy: 'provider' as const, granularity: 'day' as const },
    { filters, groupBy: 'service' as const, granularity: 'month' as const },
    { filters, groupBy: 'tag:team' as const, granularity: 'month' as const },
    {
      filters: { ...filters, billingAccount: ['acct-1'], region: ['us-east-1', 'westeurope'] },
      groupBy: 'subAccount' as const,
      granularity: 'day' as const,
    },
  ];
  for (const query of queries) await queryBillingExplorer(database.db, query);
  const timesMs: number[] = [];
  for (let run = 0; run < EXPLORER_RUNS; run++) {
    for (const query of queries) {
      const started = performance.now();
      await queryBillingExplorer(database.db, query);
      timesMs.push(performance.now() - started);
    }
  }
  await database.close();
  console.log(JSON.stringify({ timesMs }));
}

export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-billing-'));
  const name = `burnrate_bench_billing_${process.pid}`;
  const url = databaseUrl(name);
  try {
    const file = path.join(dir, 'focus-1m.csv');
    await writeFocusCsv(file, { rows: ROWS, version: '1.2', startDay: '2025-01-01', days: 365 });
    await admin((c) => c.query(`create database ${name}`));
    // Migrations and process start-up are not what is measured: a tiny import first.
    const tiny = path.join(dir, 'tiny.csv');
    await writeFocusCsv(tiny, { rows: 10, version: '1.2', startDay: '2024-01-01', days: 1 });
    const warm = await cli(['import', tiny], url);
    if (warm.code !== 0) throw new Error(`warm-up import failed: ${warm.stderr}`);

    // Each run starts after a checkpoint: neither pays for writing out the other's WAL.
    await admin((c) => c.query('checkpoint'));
    const ours = await cli(['import', file], url);
    if (ours.code !== 0 || !ours.stdout.includes(`imported ${ROWS} rows`))
      throw new Error(`import failed: ${ours.stdout}\n${ours.stderr}`);
    const oursRowsPerSecond = ROWS / (ours.wallMs / 1000);

    await admin((c) => c.query(plainTableSql()), url);
    await admin((c) => c.query('checkpoint'));
    const psql = await runMeasured(
      'psql',
      [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy plain from '${file}' with (format csv, header true, null 'NULL')`],
      { PGTZ: 'UTC' },
    );
    if (psql.code !== 0) throw new Error(`psql \\copy failed: ${psql.stderr}`);
    const psqlRowsPerSecond = ROWS / (psql.wallMs / 1000);
    const rssMb = ours.peakRssBytes / 1024 / 1024;
    console.log(
      `billing-import: ours ${(ours.wallMs / 1000).toFixed(1)} s wall (${ours.stdout.trim().split('\n')[0]}), psql \\copy ${(psql.wallMs / 1000).toFixed(1)} s, importer peak RSS ${rssMb.toFixed(0)} MB`,
    );

    const script = path.join(dir, 'explorer.mts');
    writeFileSync(
      script,
      `import { runExplorerChild } from ${JSON.stringify(path.join(ROOT, 'bench/billing-import.bench.ts'))};\nawait runExplorerChild(${JSON.stringify(url)});\n`,
    );
    const explorer = await runMeasured(process.execPath, ['--conditions=react-server', '--import', 'tsx', script], {});
    if (explorer.code !== 0) throw new Error(`explorer timing failed: ${explorer.stderr}`);
    const { timesMs } = JSON.parse(explorer.stdout.trim().split('\n').at(-1)!) as { timesMs: number[] };
    const p95Ms = percentile(timesMs, 95);

    console.log(`billing-import: explorer p50 ${percentile(timesMs, 50).toFixed(1)} ms, p95 ${p95Ms.toFixed(1)} ms`);
    const rowsRatio = oursRowsPerSecond / psqlRowsPerSecond;
    return [
      {
        name: `FOCUS CSV import into Postgres, ${ROWS.toLocaleString('en-US')} rows (vs psql \\copy)`,
        ours: oursRowsPerSecond,
        reference: psqlRowsPerSecond,
        unit: 'rows/s',
        ratio: rowsRatio,
        goal: '≥ 0.5',
        pass: rowsRatio >= 0.5,
      },
      {
        name: 'FOCUS importer peak RSS (vs 300 MB budget)',
        ours: rssMb,
        reference: 300,
        unit: 'MB',
        ratio: rssMb / 300,
        goal: '≤ 1',
        pass: rssMb <= 300,
      },
      {
        name: `billing explorer p95 over 12 months of rollups, ${timesMs.length} queries (vs 200 ms budget)`,
        ours: p95Ms,
        reference: 200,
        unit: 'ms',
        ratio: p95Ms / 200,
        goal: '≤ 1',
        pass: p95Ms <= 200,
      },
    ];
  } finally {
    await admin((c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export { explorerChild as runExplorerChild };
