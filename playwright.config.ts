import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
// The web server is the whole demo (clusters, Prometheus, Alertmanager, app) with its ports moved
// by an offset so that it runs beside a developer's `npm run demo`, and a home of its own.
// Worker processes re-read this file: the home is fixed once, in the runner, through the env.
process.env.E2E_BURNRATE_HOME ??= path.join(os.tmpdir(), `burnrate-e2e-${process.pid}`);
const home = process.env.E2E_BURNRATE_HOME;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // Traces of every test (kept on failure) slowed context teardown past the timeout on 2 busy cores.
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1400, height: 900 },
  },
  webServer: {
    // The production build (scripts/test.ts builds it first), never the dev server.
    command: 'node --import tsx scripts/demo.ts --fresh',
    url: `http://127.0.0.1:${port}/api/health`,
    // The demo backfills 2 days of ~450 pods before it answers: minutes on a busy 2-core machine.
    timeout: 480_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGINT', timeout: 30_000 },
    env: {
      PORT: String(port),
      BURNRATE_HOME: home,
      BURNRATE_DEMO_PORT_OFFSET: process.env.E2E_DEMO_PORT_OFFSET ?? '100',
      BURNRATE_DEMO_HISTORY_DAYS: process.env.E2E_HISTORY_DAYS ?? '2',
    },
  },
});
