// `burnrate import [--progress] [--format text|json] <file|dir>...`
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatIssue, ImportRejectedError } from '@/server/billing/errors';
import { importFocusFile, type ImportResult } from '@/server/billing/import';
import { CliUsageError } from './io';
import type { CliCommand } from './commands';

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

function describe(filePath: string, result: ImportResult): string[] {
  if (result.status === 'already-imported') {
    return [`${filePath}: already imported (import #${result.importId}, ${result.importedAt.toISOString()})`];
  }
  return [
    `${filePath}: imported ${result.rowCount} rows (FOCUS ${result.focusVersion}, ${result.format}, import #${result.importId}, ${(result.durationMs / 1000).toFixed(1)} s)`,
    ...Object.entries(result.totals).map(
      ([currency, totals]) => `  ${currency}  BilledCost ${totals.billedCost}  EffectiveCost ${totals.effectiveCost}`,
    ),
  ];
}

function parseImportArgs(args: string[]): { progress: boolean; json: boolean; paths: string[] } {
  const paths: string[] = [];
  let progress = false;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--progress') progress = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const format = arg === '--format' ? args[++i] : arg.slice('--format='.length);
      if (format !== 'json' && format !== 'text') throw new CliUsageError(`--format: text or json, not ${format}`);
      json = format === 'json';
    } else paths.push(arg);
  }
  if (paths.length === 0) throw new CliUsageError('import: name at least one file or directory');
  return { progress, json, paths };
}

export const importCommand: CliCommand = async (args, { io, database, actor, cwd }) => {
  const { progress, json, paths } = parseImportArgs(args);
  const files = await expandPaths(paths.map((p) => path.resolve(cwd, p)));
  let rejected = 0;
  for (const filePath of files) {
    try {
      const result = await importFocusFile(
        database,
        { path: filePath },
        {
          actor,
          onProgress: progress
            ? (p) => io.err(`progress ${filePath} rows=${p.rowsRead} bytes=${p.bytesRead}/${p.totalBytes}`)
            : undefined,
        },
      );
      if (json) io.out(JSON.stringify({ file: filePath, ...result }));
      else for (const line of describe(filePath, result)) io.out(line);
    } catch (error) {
      if (!(error instanceof ImportRejectedError)) throw error;
      rejected++;
      if (json) {
        io.out(JSON.stringify({ file: filePath, status: 'rejected', message: error.message, issues: error.issues }));
      } else {
        io.err(`${filePath}: rejected, nothing imported`);
        for (const issue of error.issues) io.err(`  ${formatIssue(issue)}`);
      }
    }
  }
  return rejected > 0 ? 1 : 0;
};
