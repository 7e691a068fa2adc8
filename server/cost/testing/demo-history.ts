// Test helper: the demo's two clusters as history in a real Prometheus (backfilled with promtool,
// nothing scraped) and their FOCUS bill, for whole hours ending at the last whole hour before now.
// Not imported by app code.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFocusExports } from '@/demo/billing/focus-export';
import { backfill } from '@/demo/prometheus/backfill';
import { startPrometheus, type RunningProcess } from '@/demo/prometheus/test-support';
import { ClusterSimulator } from '@/demo/sim/simulator';
import { clusters } from '@/demo/topology';

export const demoSeed = 11;
const hourMs = 3_600_000;

export interface DemoHistory {
  prometheusUrl: string;
  /** First whole hour of the history. */
  fromMs: number;
  /** End of the last whole hour (exclusive). */
  toMs: number;
  /** The FOCUS CSVs of the months the history touches. */
  billFiles: string[];
  close(): Promise<void>;
}

/** `hours` whole hours of history at the backfill's 120 s step; Prometheus on 9090 + `portOffset`. */
export async function startDemoHistory(options: { hours: number; portOffset: number }): Promise<DemoHistory> {
  const dir = await mkdtemp(path.join(tmpdir(), 'burnrate-cost-history-'));
  const toMs = Math.floor(Date.now() / hourMs) * hourMs;
  const fromMs = toMs - options.hours * hourMs;
  const sims = clusters.map(
    (spec) => new ClusterSimulator(spec, { seed: demoSeed, scenario: () => ({ name: 'normal', sinceMs: 0 }) }),
  );
  const dataDir = path.join(dir, 'data');
  await backfill({
    clusters: sims.map((s) => ({ simulator: s, stateAt: (t) => s.nominalState(t) })),
    fromMs,
    toMs,
    stepMs: 120_000,
    chunkMs: hourMs,
    dataDir,
    workDir: path.join(dir, 'work'),
    exportersAddress: '127.0.0.1:9450',
  });
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(config, 'global:\n  scrape_interval: 15s\n');
  let prometheus: RunningProcess | undefined;
  try {
    prometheus = await startPrometheus(config, dataDir, 9090 + options.portOffset);
    const billDir = path.join(dir, 'billing');
    await mkdir(billDir);
    const billFiles = await writeFocusExports({ dir: billDir, fromMs, toMs, seed: demoSeed, clusters });
    return {
      prometheusUrl: prometheus.url,
      fromMs,
      toMs,
      billFiles,
      close: async () => {
        await prometheus?.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await prometheus?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
