// Starts the production build for a benchmark on a free port with its own home directory.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from '../../scripts/lib/build';
import { startProcess, waitForHttp } from '../../scripts/lib/processes';

export interface BenchApp {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startBenchApp(port: number, extraEnv: Record<string, string> = {}): Promise<BenchApp> {
  const root = path.resolve(import.meta.dirname, '../..');
  await ensureBuild(root, () => undefined);
  const home = mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-'));
  const app = startProcess('app', process.execPath, ['--import', 'tsx', 'scripts/start-app.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      BURNRATE_HOME: home,
      BURNRATE_AUTH: 'demo',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/api/health`, 120_000, () => app.child.exitCode === null);
  return {
    url,
    pid: app.child.pid!,
    stop: async () => {
      await app.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function percentile(sortedValues: number[], p: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.ceil((p / 100) * sortedValues.length) - 1);
  return sortedValues[Math.max(0, index)]!;
}

/** Times `count` sequential calls of each function, interleaved so both see the same machine. */
export async function timeInterleaved(fns: (() => Promise<void>)[], count: number): Promise<number[][]> {
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < count; i += 1) {
    for (const [index, fn] of fns.entries()) {
      const started = performance.now();
      await fn();
      samples[index]!.push(performance.now() - started);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b));
}
