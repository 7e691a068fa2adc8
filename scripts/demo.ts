// `npm run demo`: the whole product on one machine, on its embedded defaults. Builds the app when
// stale, starts Prometheus and the app, prints the URLs, and stops all of it on Ctrl-C.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import PinoPretty from 'pino-pretty';
import { ensureBuild } from './lib/build';
import { isProcessAlive, startProcess, waitForHttp, type ManagedProcess } from './lib/processes';
import { startPrometheus } from './lib/prometheus';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'normal' },
  },
});

const home = path.resolve(process.env.BURNRATE_HOME ?? path.join(root, '.burnrate'));
const appPort = Number(process.env.PORT ?? 3000);
const prometheusPort = Number(process.env.BURNRATE_DEMO_PROMETHEUS_PORT ?? 9090);
const appUrl = `http://127.0.0.1:${appPort}`;
const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
const pidFile = path.join(home, 'demo.pid');

function log(message: string): void {
  console.log(`demo: ${message}`);
}

function claimPidFile(): void {
  mkdirSync(home, { recursive: true });
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid && pid !== process.pid && isProcessAlive(pid)) {
      console.error(`demo: a Burnrate demo is already running (pid ${pid}, ${appUrl}). Stop it with Ctrl-C in its terminal, or: kill ${pid}`);
      process.exit(1);
    }
  }
  writeFileSync(pidFile, String(process.pid));
}

function prometheusConfig(): string {
  return [
    'global:',
    '  scrape_interval: 15s',
    '  evaluation_interval: 15s',
    'scrape_configs:',
    '  - job_name: burnrate',
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${appPort}']`,
    '',
  ].join('\n');
}

const started: ManagedProcess[] = [];
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (stopping) process.exit(exitCode);
  stopping = true;
  log('stopping…');
  for (const processToStop of [...started].reverse()) await processToStop.stop();
  rmSync(pidFile, { force: true });
  log('stopped');
  process.exit(exitCode);
}

async function main(): Promise<void> {
  claimPidFile();
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  if (args.fresh) {
    log(`--fresh: removing ${home}/prometheus and ${home}/db`);
    rmSync(path.join(home, 'prometheus'), { recursive: true, force: true });
    rmSync(path.join(home, 'db'), { recursive: true, force: true });
  }

  await ensureBuild(root, log);

  const prometheusDir = path.join(home, 'prometheus');
  mkdirSync(prometheusDir, { recursive: true });
  const prometheusConfigPath = path.join(prometheusDir, 'prometheus.yml');
  writeFileSync(prometheusConfigPath, prometheusConfig());
  log(`starting Prometheus on ${prometheusUrl}`);
  started.push(await startPrometheus({ configPath: prometheusConfigPath, dataDir: path.join(prometheusDir, 'data'), port: prometheusPort }));

  log(`starting the app on ${appUrl}`);
  const app = startProcess('app', process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start-app.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(appPort),
      BURNRATE_HOME: home,
      BURNRATE_AUTH: 'demo',
      PROMETHEUS_URL: prometheusUrl,
    },
  });
  started.push(app);
  app.child.stdout?.pipe(PinoPretty({ colorize: process.stdout.isTTY, destination: 1 }));
  app.child.stderr?.pipe(process.stderr);
  void app.exited.then((code) => {
    if (!stopping) {
      console.error(`demo: the app exited unexpectedly (code ${code})`);
      void stopAll(1);
    }
  });
  await waitForHttp(`${appUrl}/api/health`, 180_000, () => app.child.exitCode === null);

  console.log(`
  Burnrate demo is running:
    app          ${appUrl}
    health       ${appUrl}/api/health
    prometheus   ${prometheusUrl}
  Press Ctrl-C to stop everything.
`);
}

main().catch(async (error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});
