// Starts the whole demo (simulated clusters, Prometheus with backfilled history, Alertmanager, the
// production build of the app) for a page-level benchmark, with its ports moved by an offset and
// a home of its own that is kept between runs: its history is backfilled once.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startProcess, waitForHttp } from '../../scripts/lib/processes';

export interface BenchDemo {
  appUrl: string;
  prometheusUrl: string;
  stop(): Promise<void>;
}

export async function startBenchDemo(options: {
  home: string;
  portOffset: number;
  appPort: number;
  historyDays: number;
}): Promise<BenchDemo> {
  const root = path.resolve(import.meta.dirname, '../..');
  mkdirSync(options.home, { recursive: true });
  const demo = startProcess('demo', process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: root,
    env: {
      ...process.env,
      BURNRATE_HOME: options.home,
      BURNRATE_DEMO_PORT_OFFSET: String(options.portOffset),
      BURNRATE_DEMO_HISTORY_DAYS: String(options.historyDays),
      PORT: String(options.appPort),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const appUrl = `http://127.0.0.1:${options.appPort}`;
  await waitForHttp(`${appUrl}/api/health`, 900_000, () => demo.child.exitCode === null);
  // The launcher writes what it runs just after the app answers.
  const runtimePath = path.join(options.home, 'demo-runtime.json');
  for (let waitedMs = 0; !existsSync(runtimePath); waitedMs += 100) {
    if (waitedMs > 30_000) throw new Error(`the demo wrote no ${runtimePath}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const runtime = JSON.parse(readFileSync(runtimePath, 'utf8')) as { prometheusUrl: string };
  return { appUrl, prometheusUrl: runtime.prometheusUrl, stop: () => demo.stop('SIGINT', 30_000) };
}
