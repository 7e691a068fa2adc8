import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { SimulatorSnapshot } from './simulator.ts';

// What a later start needs to join history to the last run without a seam: the counters at a few
// instants of the last run. Prometheus drops WAL samples older than the newest block on restart,
// so the gap backfill starts a few hours before the last run ended, from the snapshot of then.

const snapshotSchema = z.object({
  lastMs: z.number().nullable(),
  totals: z.array(z.tuple([z.string(), z.number()])),
  rates: z.array(z.tuple([z.string(), z.number()])),
});

const stateSchema = z.object({
  version: z.literal(1),
  seed: z.number(),
  lastLiveMs: z.number(),
  checkpoints: z.array(z.object({ tMs: z.number(), clusters: z.record(z.string(), snapshotSchema) })),
});

export type DemoState = z.infer<typeof stateSchema>;
export type Checkpoint = DemoState['checkpoints'][number];

export const rewindMs = 4 * 3_600_000;
const checkpointEveryMs = 15 * 60_000;
const keepMs = rewindMs + 3_600_000;

export async function readDemoState(file: string): Promise<DemoState | null> {
  try {
    return stateSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

export async function writeDemoState(file: string, state: DemoState): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(state));
  await rename(`${file}.tmp`, file);
}

/** Adds a checkpoint when the last is 15 minutes old (or replaces the newest), keeping 5 hours. */
export function withCheckpoint(state: DemoState, tMs: number, clusters: Record<string, SimulatorSnapshot>): DemoState {
  const checkpoints = [...state.checkpoints];
  const newest = checkpoints[checkpoints.length - 1];
  const older = checkpoints[checkpoints.length - 2];
  if (newest && older && newest.tMs - older.tMs < checkpointEveryMs) checkpoints.pop();
  checkpoints.push({ tMs, clusters });
  return { ...state, lastLiveMs: tMs, checkpoints: checkpoints.filter((c) => tMs - c.tMs <= keepMs) };
}

/** The checkpoint to resume from: the newest one at least `rewindMs` before the end, else the oldest. */
export function resumeCheckpoint(state: DemoState): Checkpoint | null {
  const eligible = state.checkpoints.filter((c) => c.tMs <= state.lastLiveMs - rewindMs);
  return eligible[eligible.length - 1] ?? state.checkpoints[0] ?? null;
}
