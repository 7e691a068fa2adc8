import 'server-only';
import type { Database } from '@/server/db/client';
import { withBulkTransaction, type BulkTransaction, type CopyWriter } from '@/server/db/billing-copy';
import {
  completeImport,
  findImportBySha256,
  importTotals,
  insertPendingImport,
  writeDailyRollups,
} from '@/server/db/billing-imports';
import {
  analyzeMonthTables,
  attachMonthTables,
  copyIntoMonth,
  nextMonthStartMs,
  openMonthTable,
  type MonthTable,
} from '@/server/db/billing-partitions';
import type { CurrencyTotals } from '@/server/db/schema';
import { copyLayout } from './copy-layout';
import { copySource } from './copy-sources';
import { rejectionOf } from './copy-rejection';
import { ImportRejectedError } from './errors';
import { localFile, type ImportFormat, type ImportSource, type LocalFile } from './file-source';
import { mapHeader, type ColumnMapping, type FocusVersion } from './focus-columns';

export type { ImportFormat, ImportSource } from './file-source';

export interface ImportProgress {
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ImportOptions {
  /** Who imported: a user id, "cli:<user>", "api-token", "watch-folder". */
  actor: string;
  /** Tag keys kept as a rollup dimension (the explorer can filter and group by these only). */
  rollupTagKeys?: readonly string[];
  onProgress?: (progress: ImportProgress) => void;
}

export type ImportResult =
  | {
      status: 'imported';
      importId: number;
      fileName: string;
      contentSha256: string;
      format: ImportFormat;
      focusVersion: FocusVersion;
      /** Lines imported; 0 for a file with a header and no rows (a period without charges). */
      rowCount: number;
      bytes: number;
      totals: CurrencyTotals;
      durationMs: number;
    }
  | { status: 'already-imported'; importId: number; fileName: string; contentSha256: string; importedAt: Date };

export const DEFAULT_ROLLUP_TAG_KEYS: readonly string[] = [
  'team',
  'environment',
  'application',
  'business_unit',
  'cost_center',
  'project',
];

/**
 * Imports one FOCUS file (1.0–1.3, CSV, gzip CSV or Parquet) in one transaction: all lines, the
 * rollups and the import record, or nothing. A file whose content was imported before is a no-op.
 * Throws ImportRejectedError (with line, column and value) for a file that breaks FOCUS rules.
 */
export async function importFocusFile(
  database: Database,
  source: ImportSource,
  options: ImportOptions,
): Promise<ImportResult> {
  const startedMs = performance.now();
  const file = await localFile(source);
  try {
    const previous = await findImportBySha256(database.db, file.contentSha256);
    if (previous) return alreadyImported(file, previous);
    const outcome = await withBulkTransaction(database, (tx) => loadFile(tx, file, options, startedMs));
    // Another import of the same content committed first.
    if (outcome === null) return alreadyImported(file, await findImportBySha256(database.db, file.contentSha256));
    return {
      status: 'imported',
      ...outcome,
      fileName: file.fileName,
      contentSha256: file.contentSha256,
      format: file.format,
      bytes: file.bytes,
    };
  } finally {
    await file.cleanup();
  }
}

function alreadyImported(file: LocalFile, previous: { id: number; importedAt: Date } | null): ImportResult {
  return {
    status: 'already-imported',
    importId: previous?.id ?? 0,
    fileName: file.fileName,
    contentSha256: file.contentSha256,
    importedAt: previous?.importedAt ?? new Date(),
  };
}

interface Loaded {
  importId: number;
  focusVersion: FocusVersion;
  rowCount: number;
  totals: CurrencyTotals;
  durationMs: number;
}

/** Reads the file once: header, then COPY of every row into the month partitions, then rollups. */
async function loadFile(
  tx: BulkTransaction,
  file: LocalFile,
  options: ImportOptions,
  startedMs: number,
): Promise<Loaded | null> {
  let bytesRead = 0;
  let rowCount = 0;
  const progress = (): void => options.onProgress?.({ rowsRead: rowCount, bytesRead, totalBytes: file.bytes });
  const source = copySource(file, (read) => {
    bytesRead = read;
  });
  const mapping = headerMapping(file, await source.header());
  const importId = await insertPendingImport(tx, { ...file, focusVersion: mapping.version, actor: options.actor });
  if (importId === null) return null;
  // Zone-less FOCUS date-times are UTC; only ISO dates are read (never 01/02 as a US date).
  await tx.query(`set local timezone = 'UTC'`);
  await tx.query(`set local datestyle = 'ISO, YMD'`);
  const layout = copyLayout(mapping);
  const tables = new Map<number, MonthTable>();
  let copy: CopyWriter | null = null;
  let copyMonth: number | null = null;
  // The file line of each row of the current COPY statement: the database names its own line.
  let copyLines: Int32Array[] = [];
  try {
    for await (const batch of source.batches(importId, layout)) {
      if (batch.month !== copyMonth) {
        await copy?.end();
        copyLines = [];
        let table = tables.get(batch.month);
        if (!table) {
          table = await openMonthTable(tx, batch.month);
          tables.set(batch.month, table);
        }
        copy = copyIntoMonth(tx, table, layout.columns);
        copyMonth = batch.month;
      }
      await copy!.write(batch.text);
      copyLines.push(batch.lines);
      rowCount += batch.lines.length;
      progress();
    }
    await copy?.end();
  } catch (error) {
    throw rejectionOf(error, copyLines, layout, file.fileName);
  }
  const tagKeys = options.rollupTagKeys ?? DEFAULT_ROLLUP_TAG_KEYS;
  if (rowCount > 0) {
    await attachMonthTables(tx, tables.values());
    await analyzeMonthTables(tx, tables.values());
    const months = [...tables.keys()];
    await writeDailyRollups(
      tx,
      { importId, fromMs: Math.min(...months), toMs: nextMonthStartMs(Math.max(...months)) },
      tagKeys,
    );
  }
  const totals = rowCount > 0 ? await importTotals(tx, importId) : {};
  const durationMs = Math.round(performance.now() - startedMs);
  await completeImport(tx, importId, { rowCount, totals, durationMs });
  return { importId, focusVersion: mapping.version, rowCount, totals, durationMs };
}

function headerMapping(file: LocalFile, header: string[]): ColumnMapping {
  const mapping = mapHeader(header);
  if (!Array.isArray(mapping)) return mapping;
  throw new ImportRejectedError(
    file.fileName,
    mapping.map((p) => ({ line: 1, column: p.column, value: null, message: p.message })),
  );
}
