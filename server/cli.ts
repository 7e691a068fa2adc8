// `npm run burnrate -- import <file|dir>...` for cron jobs and CI, `migrate` for a deploy step (and
// the demo launcher, which prepares the database while history is generated). DATABASE_URL selects the database.
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatIssue, ImportRejectedError } from '@/server/billing/errors';
import { importFocusFile, type ImportResult } from '@/server/billing/import';
import { getDatabase } from '@/server/db/client';

const USAGE = `usage: burnrate import [--progress] [--format text|json] <file|dir>...
  Imports FOCUS billing exports (CSV, CSV.gz, Parquet; FOCUS 1.0-1.3). A directory imports every
  .csv, .csv.gz, .gz and .parquet file in it, by name. Exit status 1 when any file is rejected.
  --format json prints one JSON object per file and line (status imported, already-imported or
  rejected, with the issues' line, column and value).
usage: burnrate migrate
  Creates the database if it does not exist and applies its migrations, as the app does when it starts.`;

const FOCUS_FILE = /\.(csv|csv\.gz|gz|parquet)$/i;

async function expandPaths(args: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const info = await stat(arg);
    if (!info.isDirectory()) {
      files.push(arg);
      continue;
    }
    const names = (await readdir(arg)).filter((name) => FOCUS_FILE.test(name) && !name.startsWith('.')).sort();
    files.push(...names.map((name) => path.join(arg, name)));
  }
  return files;
}

function printResult(filePath: string, result: ImportResult): void {
  if (result.status === 'already-imported') {
    console.log(`${filePath}: already imported (import #${result.importId}, ${result.importedAt.toISOString()})`);
    return;
  }
  console.log(
    `${filePath}: imported ${result.rowCount} rows (FOCUS ${result.focusVersion}, ${result.format}, import #${result.importId}, ${(result.durationMs / 1000).toFixed(1)} s)`,
  );
  for (const [currency, totals] of Object.entries(result.totals)) {
    console.log(`  ${currency}  BilledCost ${totals.billedCost}  EffectiveCost ${totals.effectiveCost}`);
  }
}

function parseImportArgs(args: string[]): { progress: boolean; json: boolean; paths: string[] } | null {
  const paths: string[] = [];
  let progress = false;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--progress') progress = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const format = arg === '--format' ? args[++i] : arg.slice('--format='.length);
      if (format !== 'json' && format !== 'text') return null;
      json = format === 'json';
    } else paths.push(arg);
  }
  return paths.length > 0 ? { progress, json, paths } : null;
}

async function importCommand(args: string[]): Promise<number> {
  const parsed = parseImportArgs(args);
  if (!parsed) {
    console.error(USAGE);
    return 2;
  }
  const { progress, json, paths } = parsed;
  const files = await expandPaths(paths);
  const database = await getDatabase();
  let rejected = 0;
  try {
    for (const filePath of files) {
      try {
        const result = await importFocusFile(
          database,
          { path: filePath },
          {
            actor: `cli:${os.userInfo().username}`,
            onProgress: progress
              ? (p) => console.error(`progress ${filePath} rows=${p.rowsRead} bytes=${p.bytesRead}/${p.totalBytes}`)
              : undefined,
          },
        );
        if (json) console.log(JSON.stringify({ file: filePath, ...result }));
        else printResult(filePath, result);
      } catch (error) {
        if (!(error instanceof ImportRejectedError)) throw error;
        rejected++;
        if (json)
          console.log(
            JSON.stringify({ file: filePath, status: 'rejected', message: error.message, issues: error.issues }),
          );
        else {
          console.error(`${filePath}: rejected, nothing imported`);
          for (const issue of error.issues) console.error(`  ${formatIssue(issue)}`);
        }
      }
    }
  } finally {
    await database.close();
  }
  return rejected > 0 ? 1 : 0;
}

async function migrateCommand(): Promise<number> {
  const database = await getDatabase();
  await database.close();
  console.log(`database ready (${database.driver}, ${database.location}), migrations applied`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'import') return importCommand(rest);
  if (command === 'migrate' && rest.length === 0) return migrateCommand();
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
