// `npm run bench`: runs every bench/*.bench.ts (or those whose name contains an argument) and
// prints one table of ratios measured side by side in this run.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureTestPostgres } from '../scripts/lib/test-postgres';
import type { Bench, BenchRow } from './types';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)))
  .sort();

// The database benches need a Postgres: 127.0.0.1:5432 when it answers, else a throwaway one.
const postgres = await ensureTestPostgres();
process.env.BURNRATE_TEST_POSTGRES_URL = postgres.url;

const rows: (BenchRow & { file: string })[] = [];
const failures: string[] = [];
for (const file of files) {
  console.log(`bench: ${file}…`);
  try {
    const bench = (await import(pathToFileURL(path.join(dir, file)).href)) as Bench;
    for (const row of await bench.run()) rows.push({ ...row, file });
  } catch (error) {
    failures.push(`${file}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

const header = ['benchmark', 'ours', 'reference', 'unit', 'ratio', 'goal', 'result'];
const table = rows.map((r) => [
  r.name,
  format(r.ours),
  format(r.reference),
  r.unit,
  format(r.ratio),
  r.goal,
  r.pass ? 'pass' : 'FAIL',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i === 0 || i === 3 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of table) console.log(line(row));
for (const failure of failures) console.error(`\nbench failed: ${failure}`);
await postgres.stop();
process.exit(failures.length > 0 ? 1 : 0);
