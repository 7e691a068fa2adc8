// `npm run demo`: the whole product on one machine, on its embedded defaults. Builds the app when
// stale, starts the simulated clusters (demo/), Prometheus with their backfilled history,
// Alertmanager and the app, prints the URLs, and stops all of it on Ctrl-C.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import PinoPretty from 'pino-pretty';
import { ensureBuild } from './lib/build';
import { isProcessAlive, runCommand, startProcess, waitForHttp, type ManagedProcess } from './lib/processes';
import { startDemoPlatform, type DemoPlatform } from '../demo/index';
import { demoProfile, profileNames, type DemoProfileName } from '../demo/profiles/index';
import { demoPorts } from '../demo/topology';
import { startAlertmanager, startPrometheus } from './lib/prometheus';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'normal' },
    'history-days': { type: 'string' },
    profile: { type: 'string', default: 'default' },
  },
});

if (!(profileNames as readonly string[]).includes(args.profile ?? '')) {
  console.error(`demo: --profile must be one of ${profileNames.join(', ')} (got ${args.profile})`);
  process.exit(2);
}
const profile = demoProfile(args.profile as DemoProfileName);
const clusters = profile.clusters;
// The large profile keeps 30 days (its history is tiered, see demo/profiles/large-history.ts); the
// default profile 2 days at full detail (~13 M samples for its ~450 pods, within the start budget).
const defaultHistoryDays = profile.historyTiers ? '30' : '2';

// Another profile keeps its own state (history, database), so switching never mixes the two.
const home = path.resolve(
  process.env.BURNRATE_HOME ?? path.join(root, '.burnrate', ...(profile.name === 'default' ? [] : [profile.name])),
);
const appPort = Number(process.env.PORT ?? 3000);
// Every demo port moves by this offset, so tests can run a demo beside a developer's.
const portOffset = Number(process.env.BURNRATE_DEMO_PORT_OFFSET ?? 0);
const prometheusPort = 9090 + portOffset;
const alertmanagerPort = 9093 + portOffset;
const appUrl = `http://127.0.0.1:${appPort}`;
const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
const alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
const pidFile = path.join(home, 'demo.pid');
const demoHome = path.join(home, 'demo');

const launchedMs = performance.now();
function log(message: string): void {
  console.log(`demo: ${message}`);
}
/** A step of the start, with the seconds since launch: where a first start spends its time. */
function logPhase(message: string): void {
  log(`[${((performance.now() - launchedMs) / 1000).toFixed(1)} s] ${message}`);
}

function claimPidFile(): void {
  mkdirSync(home, { recursive: true });
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid && pid !== process.pid && isProcessAlive(pid)) {
      console.error(
        `demo: a Burnrate demo is already running (pid ${pid}, ${appUrl}). Stop it with Ctrl-C in its terminal, or: kill ${pid}`,
      );
      process.exit(1);
    }
  }
  writeFileSync(pidFile, String(process.pid));
}

const started: ManagedProcess[] = [];
let platform: DemoPlatform | undefined;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (stopping) process.exit(exitCode);
  stopping = true;
  log('stopping…');
  for (const processToStop of [...started].reverse()) await processToStop.stop();
  await platform?.stop();
  rmSync(pidFile, { force: true });
  rmSync(path.join(home, 'demo-runtime.json'), { force: true });
  log('stopped');
  process.exit(exitCode);
}

/** Creates the app's database and applies its migrations (`burnrate migrate`), as the app would at start. */
async function migrateDatabase(): Promise<void> {
  const cli = ['--conditions=react-server', '--import', 'tsx', path.join(root, 'server/cli.ts'), 'migrate'];
  const code = await runCommand(process.execPath, cli, {
    cwd: root,
    env: { ...process.env, BURNRATE_HOME: home },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (code !== 0) throw new Error(`burnrate migrate exited with ${code}`);
}

async function main(): Promise<void> {
  claimPidFile();
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  if (args.fresh) {
    log(`--fresh: removing the database ${home}/db; the demo history is generated again`);
    rmSync(path.join(home, 'db'), { recursive: true, force: true });
  }

  const historyDays = Number(args['history-days'] ?? process.env.BURNRATE_DEMO_HISTORY_DAYS ?? defaultHistoryDays);
  const size = `${clusters.reduce((n, c) => n + c.nodes.length, 0)} nodes`;
  log(
    `starting the simulated clusters (${clusters.map((c) => c.name).join(', ')}; profile ${profile.name}, ${size}), ${historyDays} days of history`,
  );
  // The build and the history backfill are the two long steps of a first start: run them together,
  // and the app's database migrations beside them (on PGlite, a minute on a busy machine).
  const build = ensureBuild(root, log).then(() => logPhase('build ready'));
  // Not fatal: the app applies the migrations itself when it starts (as it did before this step).
  const migrated = migrateDatabase().then(
    () => logPhase('database ready'),
    (error: unknown) => log(`database not prepared (${String(error)}); the app will create it when it starts`),
  );
  const platformStarted = startDemoPlatform({
    home: demoHome,
    seed: 42,
    scenario: args.scenario ?? 'normal',
    appUrl,
    fresh: args.fresh ?? false,
    historyDays,
    log,
    ports: {
      kubeApi: Object.fromEntries(clusters.map((c) => [c.name, demoPorts.kubeApi[c.name] + portOffset])),
      exporters: demoPorts.exporters + portOffset,
      control: demoPorts.control + portOffset,
    },
    alertmanagerAddress: `127.0.0.1:${alertmanagerPort}`,
    profile,
  });
  const [built, startedPlatform] = await Promise.allSettled([build, platformStarted, migrated]);
  if (startedPlatform.status === 'fulfilled') platform = startedPlatform.value;
  if (built.status === 'rejected') throw built.reason;
  if (startedPlatform.status === 'rejected') throw startedPlatform.reason;
  if (!platform) throw new Error('the demo platform did not start');
  logPhase('history backfilled, simulated clusters live');

  log(`starting Prometheus on ${prometheusUrl}`);
  const prometheusOptions = {
    configPath: platform.prometheusConfigPath,
    dataDir: platform.prometheusDataDir,
    port: prometheusPort,
    retentionDays: Math.ceil(historyDays) + 30,
  };
  let prometheus = await startPrometheus(prometheusOptions);
  started.push(prometheus);
  logPhase('Prometheus ready (TSDB loaded)');
  // Fault drills for the e2e tests and for trying the product: SIGUSR1 stops Prometheus, SIGUSR2 starts it again.
  process.on('SIGUSR1', () => {
    log('SIGUSR1: stopping Prometheus (send SIGUSR2 to start it again)');
    void prometheus.stop();
  });
  process.on('SIGUSR2', () => {
    if (prometheus.child.exitCode === null && prometheus.child.signalCode === null) return;
    log('SIGUSR2: starting Prometheus again');
    void startPrometheus(prometheusOptions).then((restarted) => {
      started[started.indexOf(prometheus)] = restarted;
      prometheus = restarted;
    });
  });
  log(`starting Alertmanager on ${alertmanagerUrl}`);
  started.push(
    await startAlertmanager({
      configPath: platform.alertmanagerConfigPath,
      dataDir: path.join(demoHome, 'alertmanager', 'data'),
      port: alertmanagerPort,
    }),
  );

  log(`starting the app on ${appUrl}`);
  const app = startProcess('app', process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start-app.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(appPort),
      BURNRATE_HOME: home,
      BURNRATE_AUTH: 'demo',
      PROMETHEUS_URL: prometheusUrl,
      ALERTMANAGER_URL: alertmanagerUrl,
      KUBECONFIG: platform.kubeconfigPath,
      BURNRATE_BILLING_WATCH_DIR: platform.billingDir,
      BURNRATE_DEMO_CONTROL_URL: platform.controlUrl,
      ...(profile.scrapeIntervalSeconds
        ? { PROMETHEUS_SCRAPE_INTERVAL_SECONDS: String(profile.scrapeIntervalSeconds) }
        : {}),
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
  logPhase('app healthy');
  writeFileSync(
    path.join(home, 'demo-runtime.json'),
    JSON.stringify(
      {
        pid: process.pid,
        appUrl,
        prometheusUrl,
        alertmanagerUrl,
        kubeconfigPath: platform.kubeconfigPath,
        controlUrl: platform.controlUrl,
        exportersUrl: platform.exportersUrl,
        billingDir: platform.billingDir,
      },
      null,
      2,
    ),
  );

  console.log(`
  Burnrate demo is running:
    app            ${appUrl}
    health         ${appUrl}/api/health
    prometheus     ${prometheusUrl}
    alertmanager   ${alertmanagerUrl}
    kubeconfig     ${platform.kubeconfigPath}   (kubectl --kubeconfig … get pods -A)
    scenarios      curl -XPOST ${platform.controlUrl}/scenario -d '{"name":"spike"}'
  Press Ctrl-C to stop everything.
`);
}

main().catch(async (error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});
