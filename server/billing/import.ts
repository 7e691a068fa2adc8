import 'server-only';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Database } from '@/server/db/client';
import { withBulkTransaction, type CopyWriter } from '@/server/db/billing-copy';
import { completeImport, findImportBySha256, importTotals, insertPendingImport, writeDailyRollups } from '@/server/db/billing-imports';
import type { CurrencyTotals } from '@/server/db/schema';
import { decompressed, readCsvRows, type ReaderState, type RowEvent } from './csv-reader';
import { importCsvOnServer } from './postgres-fast-path';
import { ImportRejectedError, type ImportIssue } from './errors';
import { mapHeader, type ColumnMapping, type FocusVersion } from './focus-columns';
import { readParquetRows } from './parquet-reader';
import { COPY_COLUMNS, encodeRow, type RowContext } from './row-encoder';

export type ImportSource =
  | { path: string; name?: string }
  | { stream: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>; name: string };

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
  /** How many problems to collect before giving up on a file (default 20). */
  maxIssues?: number;
  /** Postgres fast path: from this many lines an import keeps its own tables (tuning; tests lower it). */
  ownTablesFromRows?: number;
}

export type ImportFormat = 'csv' | 'csv.gz' | 'parquet';

export type ImportResult =
  | {
      status: 'imported';
      importId: number;
      fileName: string;
      contentSha256: string;
      format: ImportFormat;
      focusVersion: FocusVersion;
      rowCount: number;
      bytes: number;
      totals: CurrencyTotals;
      durationMs: number;
      /** `server`: Postgres parsed the CSV (fast path); `exact`: parsed and checked here, line by line. */
      route: 'server' | 'exact';
    }
  | { status: 'already-imported'; importId: number; fileName: string; contentSha256: string; importedAt: Date };

export const DEFAULT_ROLLUP_TAG_KEYS: readonly string[] = ['team', 'environment', 'application', 'business_unit', 'cost_center', 'project'];

interface LocalFile {
  filePath: string;
  fileName: string;
  bytes: number;
  /** A file on disk is hashed in the background: the Postgres fast path copies it meanwhile. */
  contentSha256: Promise<string>;
  format: ImportFormat;
  cleanup(): Promise<void>;
}

async function sniffFormat(filePath: string): Promise<ImportFormat> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.toString('latin1') === 'PAR1') return 'parquet';
    return head[0] === 0x1f && head[1] === 0x8b ? 'csv.gz' : 'csv';
  } finally {
    await handle.close();
  }
}

async function sha256Of(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A file on disk (hashed in the background), or a stream spooled to a temp file while hashed (Parquet needs random access). */
async function localFile(source: ImportSource): Promise<LocalFile> {
  if ('path' in source) {
    const { size } = await stat(source.path);
    const contentSha256 = sha256Of(source.path);
    contentSha256.catch(() => undefined);
    return { filePath: source.path, fileName: source.name ?? path.basename(source.path), bytes: size, contentSha256, format: await sniffFormat(source.path), cleanup: async () => undefined };
  }
  const hash = createHash('sha256');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'burnrate-upload-'));
  const filePath = path.join(dir, 'upload');
  let bytes = 0;
  const input = Symbol.asyncIterator in source.stream ? (source.stream as AsyncIterable<Uint8Array>) : Readable.fromWeb(source.stream as WebReadableStream<Uint8Array>);
  try {
    await pipeline(
      input,
      async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(filePath),
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { filePath, fileName: source.name, bytes, contentSha256: Promise.resolve(hash.digest('hex')), format: await sniffFormat(filePath), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function rowEvents(file: LocalFile, state: ReaderState): AsyncGenerator<RowEvent> {
  if (file.format === 'parquet') return readParquetRows(file.filePath, file.fileName, state);
  return readCsvRows(createReadStream(file.filePath, { highWaterMark: 1 << 20 }), file.fileName, state);
}

/**
 * Imports one FOCUS file (1.0–1.3, CSV, gzip CSV or Parquet) in one transaction: all lines, the
 * daily rollups and the import record, or nothing. A file whose content was imported before is a no-op.
 * Throws ImportRejectedError (with line, column and value) for a file that breaks FOCUS rules.
 */
export async function importFocusFile(database: Database, source: ImportSource, options: ImportOptions): Promise<ImportResult> {
  const startedMs = performance.now();
  const file = await localFile(source);
  try {
    const serverRoute = database.driver === 'postgres' && file.format !== 'parquet';
    // On the fast path Postgres copies the file while it is hashed; a file imported before stops the copy once the hash is known.
    const earlier = file.contentSha256.then((sha) => findImportBySha256(database.db, sha));
    earlier.catch(() => undefined);
    if (!serverRoute) {
      const previous = await earlier;
      if (previous) return alreadyImported(file, await file.contentSha256, previous);
    }
    const mapping = await readMapping(file);
    let outcome: Committed | null = null;
    if (serverRoute) {
      try {
        outcome = await importOnce(database, file, mapping, options, startedMs, 'server', earlier);
      } catch {
        const previous = await earlier;
        if (previous) return alreadyImported(file, await file.contentSha256, previous);
        // The exact path below re-reads the file: it reports the fast path's failure with line and column.
      }
    }
    outcome ??= await importOnce(database, file, mapping, options, startedMs, 'exact');
    const contentSha256 = await file.contentSha256;
    if (outcome.importId === null) return alreadyImported(file, contentSha256, await findImportBySha256(database.db, contentSha256));
    return { status: 'imported', ...outcome, importId: outcome.importId, fileName: file.fileName, contentSha256, format: file.format, bytes: file.bytes };
  } finally {
    await file.cleanup();
  }
}

function alreadyImported(file: LocalFile, contentSha256: string, previous: { id: number; importedAt: Date } | null): ImportResult {
  return { status: 'already-imported', importId: previous?.id ?? 0, fileName: file.fileName, contentSha256, importedAt: previous?.importedAt ?? new Date() };
}

async function readMapping(file: LocalFile): Promise<ColumnMapping> {
  const events = rowEvents(file, { bytesRead: 0, invalidUtf8: false });
  try {
    const first = await events.next();
    if (first.done || first.value.kind !== 'header') throw new ImportRejectedError(file.fileName, [{ line: 1, column: null, value: null, message: 'file is empty' }]);
    const mapping = mapHeader(first.value.header);
    if (!isMapping(mapping)) throw new ImportRejectedError(file.fileName, mapping.map((p) => ({ line: 1, column: p.column, value: null, message: p.message })));
    return mapping;
  } finally {
    await events.return(undefined);
  }
}

interface Committed {
  importId: number | null;
  route: 'server' | 'exact';
  focusVersion: FocusVersion;
  rowCount: number;
  totals: CurrencyTotals;
  durationMs: number;
}

async function importOnce(
  database: Database,
  file: LocalFile,
  mapping: ColumnMapping,
  options: ImportOptions,
  startedMs: number,
  route: 'server' | 'exact',
  /** Resolves with the earlier import of the same content, if any (the fast path stops copying then). */
  earlier?: Promise<unknown>,
): Promise<Committed> {
  const tagKeys = options.rollupTagKeys ?? DEFAULT_ROLLUP_TAG_KEYS;
  const state: ReaderState = { bytesRead: 0, invalidUtf8: false };
  const claim = file.contentSha256.then((contentSha256) => ({ ...file, contentSha256, focusVersion: mapping.version, actor: options.actor }));
  claim.catch(() => undefined);
  if (route === 'server') {
    const bytes = decompressed(createReadStream(file.filePath, { highWaterMark: 1 << 20 }), state);
    const result = await importCsvOnServer(database, mapping, bytes, claim, {
      tagKeys,
      startedMs,
      ...(options.ownTablesFromRows !== undefined ? { ownTablesFromRows: options.ownTablesFromRows } : {}),
      stopWhen: earlier,
      onChunk: () => options.onProgress?.({ rowsRead: 0, bytesRead: state.bytesRead, totalBytes: file.bytes }),
      onCopied: (rows) => options.onProgress?.({ rowsRead: rows, bytesRead: file.bytes, totalBytes: file.bytes }),
    });
    return { ...result, route, focusVersion: mapping.version };
  }
  return withBulkTransaction(database, async (tx) => {
    const importId = await insertPendingImport(tx, await claim);
    if (importId === null) return { importId: null, route, focusVersion: mapping.version, rowCount: 0, totals: {}, durationMs: 0 };
    const events = rowEvents(file, state);
    await events.next();
    const rowCount = await loadRows(tx.copyIn(`billing_lines (${COPY_COLUMNS.join(', ')})`), events, { mapping, importId, invalidUtf8: false }, state, file, options);
    if (rowCount === 0) throw new ImportRejectedError(file.fileName, [{ line: 2, column: null, value: null, message: 'file has a header but no rows' }]);
    await writeDailyRollups(tx, importId, tagKeys);
    const totals = await importTotals(tx, importId);
    const durationMs = Math.round(performance.now() - startedMs);
    await completeImport(tx, importId, { rowCount, totals, durationMs });
    return { importId, route, focusVersion: mapping.version, rowCount, totals, durationMs };
  });
}

function isMapping(value: ColumnMapping | unknown[]): value is ColumnMapping {
  return !Array.isArray(value);
}

async function loadRows(
  copy: CopyWriter,
  events: AsyncGenerator<RowEvent>,
  context: RowContext,
  state: ReaderState,
  file: LocalFile,
  options: ImportOptions,
): Promise<number> {
  const issues: ImportIssue[] = [];
  const maxIssues = options.maxIssues ?? 20;
  let rowCount = 0;
  for await (const event of events) {
    if (event.kind !== 'rows') continue;
    context.invalidUtf8 = state.invalidUtf8;
    let text = '';
    for (let i = 0; i < event.rows.length; i++) {
      const encoded = encodeRow(event.rows[i]!, event.lines[i]!, context, issues);
      if (!encoded) {
        if (issues.length >= maxIssues) throw new ImportRejectedError(file.fileName, issues);
        continue;
      }
      if (issues.length > 0) continue;
      text += encoded.copyLine;
    }
    rowCount += event.rows.length;
    if (issues.length === 0 && text.length > 0) await copy.write(text);
    options.onProgress?.({ rowsRead: rowCount, bytesRead: state.bytesRead, totalBytes: file.bytes });
  }
  if (issues.length === 0 && state.invalidUtf8) {
    issues.push({ line: 1, column: null, value: null, message: 'file is not valid UTF-8' });
  }
  if (issues.length > 0) throw new ImportRejectedError(file.fileName, issues);
  await copy.end();
  return rowCount;
}
