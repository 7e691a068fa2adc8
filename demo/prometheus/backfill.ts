import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ClusterState } from '../sim/cluster-state.ts';
import { exposedValue, formatValue } from '../sim/exposition.ts';
import { exporterNames, labelText, type ExporterName } from '../sim/samples.ts';
import type { ClusterSimulator } from '../sim/simulator.ts';
import { targetLabels } from './targets.ts';

// History: the simulator stepped over the past at a coarse resolution, written as OpenMetrics in
// day-sized chunks (promtool maps its whole input, so a chunk bounds its memory) and turned into
// TSDB blocks by promtool while the next chunk is generated.

export interface BackfillCluster {
  simulator: ClusterSimulator;
  stateAt: (tMs: number) => ClusterState;
}

export interface BackfillOptions {
  clusters: BackfillCluster[];
  /** Both ends are included; instants are multiples of `stepMs`, plus `toMs` itself. */
  fromMs: number;
  toMs: number;
  stepMs: number;
  dataDir: string;
  workDir: string;
  exportersAddress: string;
  chunkMs?: number;
  /**
   * Resolution by age, oldest first: from each `fromMs` on, instants every `stepMs` in files of
   * `chunkMs` (default: `stepMs` from `fromMs`, in `chunkMs`; the first stretch starts at `fromMs`
   * whatever its own). One pipeline for all, so promtool and generation overlap across stretches.
   */
  stretches?: BackfillStretch[];
  promtoolPath?: string;
  log?: (msg: string) => void;
}

export interface BackfillStretch {
  fromMs: number;
  stepMs: number;
  chunkMs?: number;
}

export interface BackfillResult {
  samples: number;
  bytes: number;
  chunks: number;
  durationMs: number;
  /** Last instant written (the seam with live scraping). */
  lastMs: number;
}

const flushBytes = 1 << 20;
/**
 * Series that change only with the cluster's objects are written every 4 minutes (and at the last
 * instant): within Prometheus's 5 min lookback, so instant and range queries see no gap.
 */
export const slowStepMs = 240_000;

export async function backfill(opts: BackfillOptions): Promise<BackfillResult> {
  const started = performance.now();
  await mkdir(opts.dataDir, { recursive: true });
  await mkdir(opts.workDir, { recursive: true });
  const prefixes = opts.clusters.map(
    (c) => new Map(exporterNames.map((e) => [e, prefixFor(c, e, opts.exportersAddress)] as const)),
  );
  let samples = 0;
  let bytes = 0;
  let chunks = 0;
  let lastMs = opts.fromMs;
  // Slow series go out at the first instant of each 4-minute slot, whatever the step (a 30-minute
  // step writes them every instant; a 50 s step every slot, not only where a slot starts on a step).
  let lastSlowSlot = -1;
  let pending: Promise<void> = Promise.resolve();
  for (const { file, instants } of chunksOf(opts)) {
    const out = createWriteStream(path.join(opts.workDir, file));
    let buffer = '';
    for (const t of instants) {
      const ts = ` ${t / 1000}\n`;
      const slot = Math.floor(t / slowStepMs);
      const writeSlow = slot !== lastSlowSlot || t === opts.toMs;
      if (writeSlow) lastSlowSlot = slot;
      opts.clusters.forEach((c, i) => {
        const prefix = prefixes[i]!;
        for (const s of c.simulator.advance(t, c.stateAt(t), writeSlow)) {
          buffer += `${s.name}{${prefix.get(s.exporter)}${s.labelText ? `,${s.labelText}` : ''}} ${formatValue(exposedValue(s))}${ts}`;
          samples++;
        }
      });
      lastMs = t;
      if (buffer.length >= flushBytes) {
        bytes += Buffer.byteLength(buffer);
        await write(out, buffer);
        buffer = '';
      }
    }
    buffer += '# EOF\n';
    bytes += Buffer.byteLength(buffer);
    await write(out, buffer);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    chunks++;
    const previous = pending;
    const filePath = path.join(opts.workDir, file);
    pending = previous
      .then(() => createBlocks(opts.promtoolPath ?? 'promtool', filePath, opts.dataDir))
      .then(() => rm(filePath, { force: true }));
    // At most one chunk waits on disk while promtool works on the one before.
    await previous;
  }
  await pending;
  const result = { samples, bytes, chunks, durationMs: Math.round(performance.now() - started), lastMs };
  opts.log?.(
    `backfill: ${samples} samples, ${(bytes / 1e6).toFixed(1)} MB in ${chunks} chunk(s), ${result.durationMs} ms`,
  );
  return result;
}

/** Input files in time order: each stretch's instants (multiples of its step) cut into chunks, then `toMs`. */
function* chunksOf(opts: BackfillOptions): Generator<{ file: string; instants: number[] }> {
  const stretches = (opts.stretches ?? [{ fromMs: opts.fromMs, stepMs: opts.stepMs }]).filter(
    (_, i, all) => (all[i + 1]?.fromMs ?? Infinity) > opts.fromMs,
  );
  for (const [i, stretch] of stretches.entries()) {
    const stepMs = stretch.stepMs;
    const chunkMs = stretch.chunkMs ?? opts.chunkMs ?? 86_400_000;
    const endMs = Math.min(opts.toMs, (stretches[i + 1]?.fromMs ?? Infinity) - 1);
    // A range shorter than a step still gets its end instant.
    const fromMs = i === 0 ? opts.fromMs : Math.max(opts.fromMs, stretch.fromMs);
    const firstMs = Math.min(Math.ceil(fromMs / stepMs) * stepMs, endMs);
    for (let chunkStart = firstMs; chunkStart <= endMs; chunkStart += chunkMs) {
      const instants: number[] = [];
      const chunkEnd = Math.min(endMs, chunkStart + chunkMs - stepMs);
      for (let t = chunkStart; t <= chunkEnd; t += stepMs) instants.push(t);
      // The last instant is `toMs` itself, so that live scraping starts seconds after history ends.
      if (endMs === opts.toMs && opts.toMs < chunkStart + chunkMs && instants.at(-1) !== opts.toMs)
        instants.push(opts.toMs);
      yield { file: `backfill-${chunkStart}.om`, instants };
    }
  }
}

function prefixFor(c: BackfillCluster, exporter: ExporterName, address: string): string {
  return labelText(targetLabels(c.simulator.spec.name, exporter, address));
}

function write(out: WriteStream, text: string): Promise<void> {
  return out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve()));
}

export async function createBlocks(promtool: string, file: string, dataDir: string): Promise<void> {
  await stat(file);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      promtool,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=336h', file, dataDir],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`promtool exited with ${code}: ${stderr}`))));
  });
}
