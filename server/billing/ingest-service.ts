import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { appConfig } from '@/server/config';
import { getDatabase } from '@/server/db/client';
import { listImports, type BillingImport } from '@/server/db/billing-imports';
import {
  billingExplorerInputSchema,
  billingFiltersSchema,
  queryBillingExplorer,
  type BillingExplorerInput,
  type BillingExplorerResult,
  type BillingFilters,
} from '@/server/db/billing-explorer';
import { lineCursorSchema, listBillingLines, type BillingLine } from '@/server/db/billing-lines';
import { readSetting } from '@/server/db/settings';
import { logger } from '@/server/observability/logger';
import { ImportRejectedError, type ImportIssue } from './errors';
import { spoolToTempFile } from './file-source';
import { importFocusFile, type ImportProgress, type ImportResult } from './import';
import { watchBillingFolder, type FolderWatch } from './watch-folder';

export const WATCH_DIR_SETTING = 'billing.watchDir';

export type ImportJobState = 'queued' | 'running' | 'imported' | 'already-imported' | 'rejected' | 'failed';

/** What the Imports panel shows about one import while (and shortly after) it runs. */
export interface ImportJob {
  id: string;
  fileName: string;
  actor: string;
  state: ImportJobState;
  progress: ImportProgress;
  result: ImportResult | null;
  issues: ImportIssue[];
  message: string | null;
  queuedAtMs: number;
}

export type ImportOutcome =
  | { status: 'imported' | 'already-imported'; result: ImportResult }
  | { status: 'rejected'; fileName: string; message: string; issues: ImportIssue[] };

interface IngestState {
  jobs: Map<string, ImportJob>;
  /** Tail of the queue: each import starts when the previous one has settled. */
  tail: Promise<unknown>;
  watch: FolderWatch | null;
  watchStarted: Promise<void> | null;
  /** Told of each committed import (the cost allocation job prices its days again). */
  importedListeners: Set<(result: ImportResult) => void>;
}

const KEPT_JOBS = 50;
const stateKey = Symbol.for('burnrate.billing.ingest');

/** Process-wide, on globalThis: Next bundles route handlers and instrumentation separately. */
function ingestState(): IngestState {
  const g = globalThis as typeof globalThis & { [stateKey]?: IngestState };
  g[stateKey] ??= {
    jobs: new Map(),
    tail: Promise.resolve(),
    watch: null,
    watchStarted: null,
    importedListeners: new Set(),
  };
  return g[stateKey];
}

const jobIdSchema = z.string().regex(/^[\w-]{8,64}$/);

function rememberJob(job: ImportJob): void {
  const { jobs } = ingestState();
  jobs.set(job.id, job);
  for (const id of jobs.keys()) {
    if (jobs.size <= KEPT_JOBS) break;
    if (jobs.get(id)?.state !== 'running' && jobs.get(id)?.state !== 'queued') jobs.delete(id);
  }
}

/**
 * Queues one file (on disk) for import and resolves with its outcome. Imports run one at a time
 * in this process; `jobId` (client-chosen) lets the UI poll progress before the answer arrives.
 * `contentSha256`, when the caller hashed the file as it wrote it, spares the import a read.
 */
export function enqueueImport(
  filePath: string,
  fileName: string,
  actor: string,
  jobId?: string,
  contentSha256?: string,
): Promise<ImportOutcome> {
  const id = jobId && jobIdSchema.safeParse(jobId).success ? jobId : crypto.randomUUID();
  const job: ImportJob = {
    id,
    fileName,
    actor,
    state: 'queued',
    progress: { rowsRead: 0, bytesRead: 0, totalBytes: 0 },
    result: null,
    issues: [],
    message: null,
    queuedAtMs: Date.now(),
  };
  rememberJob(job);
  const state = ingestState();
  const run = state.tail.then(async (): Promise<ImportOutcome> => {
    job.state = 'running';
    try {
      const result = await importFocusFile(
        await getDatabase(),
        { path: filePath, name: fileName, contentSha256 },
        {
          actor,
          onProgress: (progress) => {
            job.progress = progress;
          },
        },
      );
      job.result = result;
      job.state = result.status;
      if (result.status === 'imported') for (const listener of state.importedListeners) listener(result);
      return { status: result.status, result };
    } catch (error) {
      if (error instanceof ImportRejectedError) {
        job.state = 'rejected';
        job.issues = error.issues;
        job.message = error.message;
        return { status: 'rejected', fileName: error.fileName, message: error.message, issues: error.issues };
      }
      job.state = 'failed';
      job.message = error instanceof Error ? error.message : String(error);
      throw error;
    }
  });
  state.tail = run.catch(() => undefined);
  return run;
}

/** Calls `listener` after each import this process commits; returns the way to stop. */
export function onBillingImported(listener: (result: ImportResult) => void): () => void {
  const { importedListeners } = ingestState();
  importedListeners.add(listener);
  return () => importedListeners.delete(listener);
}

/** Writes an upload stream to a temp file, hashed on the way (outside the queue, so a slow upload never blocks others). */
export async function spoolUpload(
  stream: AsyncIterable<Uint8Array>,
): Promise<{ filePath: string; contentSha256: string; cleanup: () => Promise<void> }> {
  return spoolToTempFile(stream);
}

export function importJob(id: string): ImportJob | null {
  return ingestState().jobs.get(id) ?? null;
}

/** Imports queued or running now, oldest first. */
export function activeImportJobs(): ImportJob[] {
  return [...ingestState().jobs.values()].filter((job) => job.state === 'queued' || job.state === 'running');
}

async function configuredWatchDir(): Promise<string | null> {
  const fromConfig = appConfig().billingWatchDir;
  if (fromConfig) return fromConfig;
  const stored = z
    .string()
    .min(1)
    .safeParse(await readSetting((await getDatabase()).db, WATCH_DIR_SETTING));
  return stored.success ? stored.data : null;
}

/** Starts polling the watched folder once per process (environment first, then the setting). */
export function startBillingWatch(): Promise<void> {
  const state = ingestState();
  state.watchStarted ??= (async () => {
    const dir = await configuredWatchDir();
    if (!dir) return;
    state.watch = watchBillingFolder(
      dir,
      async (filePath) => {
        const outcome = await enqueueImport(filePath, path.basename(filePath), 'watch-folder');
        if (outcome.status === 'rejected')
          logger().warn({ filePath, issues: outcome.issues.slice(0, 3) }, 'watched billing file rejected');
      },
      {
        intervalMs: 5_000,
        onError: (error, filePath) => logger().error({ err: error, filePath }, 'billing watch folder failed'),
      },
    );
    logger().info({ dir }, 'watching billing folder');
    void state.watch.scanNow();
  })().catch((error: unknown) => {
    state.watchStarted = null;
    logger().error({ err: error }, 'billing watch folder could not start');
  });
  return state.watchStarted;
}

/** Past imports, newest first; the first call also starts the watched folder. */
export async function recentImports(limit: number): Promise<BillingImport[]> {
  void startBillingWatch();
  return listImports((await getDatabase()).db, { limit });
}

// The explorer's reads, so the router never touches the database itself.
export { billingExplorerInputSchema, billingFiltersSchema, lineCursorSchema };

export async function exploreBilling(input: BillingExplorerInput): Promise<BillingExplorerResult> {
  return queryBillingExplorer((await getDatabase()).db, input);
}

export async function billingLinesPage(
  filters: BillingFilters,
  cursor: string | null,
  limit: number,
): Promise<{ lines: BillingLine[]; nextCursor: string | null }> {
  return listBillingLines((await getDatabase()).db, filters, cursor, limit);
}

export const FILTER_DIMENSIONS = ['provider', 'billingAccount', 'subAccount', 'service', 'region'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

/** The values each filter can take in the period (from the rollups), for the filter pickers. */
export async function billingFilterOptions(from: string, to: string): Promise<Record<FilterDimension, string[]>> {
  const { db } = await getDatabase();
  const entries = await Promise.all(
    FILTER_DIMENSIONS.map(async (dimension) => {
      const result = await queryBillingExplorer(db, {
        filters: { from, to },
        groupBy: dimension,
        granularity: 'month',
        topGroups: 1,
      });
      return [dimension, [...new Set(result.groups.map((g) => g.group))].sort()] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<FilterDimension, string[]>;
}
