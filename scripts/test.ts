// `npm test`: typecheck, lint, build, unit and integration tests (vitest), then the e2e tests
// (Playwright, Debian Chromium, production build). Runs every stage, prints one summary.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from './lib/build';
import { runCommand } from './lib/processes';
import { ensureTestPostgres } from './lib/test-postgres';
import { summarizeVitest, type VitestReport } from './lib/test-report';

const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, 'test-results');

interface StageResult {
  name: string;
  ok: boolean;
  durationMs: number;
  passed?: number;
  failed?: number;
  /** Said after the counts on the stage's summary line. */
  detail?: string;
}

type Counts = { passed: number; failed: number; detail?: string };

async function stage(
  name: string,
  run: () => Promise<boolean>,
  counts?: () => Counts | undefined,
): Promise<StageResult> {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  let ok: boolean;
  try {
    ok = await run();
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    ok = false;
  }
  return { name, ok, durationMs: Date.now() - started, ...counts?.() };
}

const npx = (args: string[]): Promise<boolean> => runCommand('npx', args, { cwd: root }).then((code) => code === 0);

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

let postgresSource = '';

/** Vitest's counts; a file that ran no test or skipped one counts as a failed test. */
function vitestCounts(): Counts | undefined {
  const report = readJson<VitestReport>(path.join(resultsDir, 'vitest.json'));
  if (!report) return undefined;
  const summary = summarizeVitest(report, root);
  const detail = `${summary.postgresTests} on Postgres (${postgresSource})`;
  return { passed: summary.passed, failed: summary.failed + summary.problems.length, detail };
}

async function runVitest(): Promise<boolean> {
  const ok = await npx([
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${path.join(resultsDir, 'vitest.json')}`,
  ]);
  const report = readJson<VitestReport>(path.join(resultsDir, 'vitest.json'));
  const problems = report ? summarizeVitest(report, root).problems : ['no vitest report'];
  for (const problem of problems) console.error(`FAIL  ${problem}`);
  return ok && problems.length === 0;
}

function playwrightCounts(): Counts | undefined {
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(
    path.join(resultsDir, 'playwright.json'),
  );
  const stats = report?.stats;
  return stats && { passed: stats.expected, failed: stats.unexpected + stats.flaky + stats.skipped };
}

async function main(): Promise<void> {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const results: StageResult[] = [];
  results.push(await stage('typecheck', () => npx(['tsc', '--noEmit'])));
  results.push(
    await stage(
      'lint',
      async () =>
        (await npx(['eslint', '--max-warnings=0', '.'])) &&
        (await npx(['prettier', '--check', '--log-level=warn', '.'])),
    ),
  );
  const build = await stage('build', async () => {
    await ensureBuild(root);
    return true;
  });
  results.push(build);
  const postgres = await ensureTestPostgres();
  process.env.BURNRATE_TEST_POSTGRES_URL = postgres.url;
  postgresSource = postgres.started
    ? `started for the tests at ${new URL(postgres.url).host}`
    : `at ${new URL(postgres.url).host}`;
  console.log(`\nPostgres for the tests: ${postgresSource}`);
  const stopPostgres = (): void => void postgres.stop().then(() => process.exit(130));
  process.once('SIGINT', stopPostgres);
  process.once('SIGTERM', stopPostgres);
  results.push(await stage('unit and integration tests (vitest)', runVitest, vitestCounts));
  await postgres.stop();
  if (build.ok) {
    const e2eHome = mkdtempSync(path.join(os.tmpdir(), 'burnrate-e2e-'));
    process.env.E2E_BURNRATE_HOME = e2eHome;
    results.push(
      await stage('e2e tests (playwright, against the demo)', () => npx(['playwright', 'test']), playwrightCounts),
    );
    rmSync(e2eHome, { recursive: true, force: true });
  } else {
    results.push({ name: 'e2e tests (playwright)', ok: false, durationMs: 0 });
  }

  console.log('\n━━ summary ━━');
  for (const result of results) {
    const detail = result.detail ? `; ${result.detail}` : '';
    const counts = result.passed === undefined ? '' : ` (${result.passed} passed, ${result.failed} failed${detail})`;
    console.log(`${result.ok ? 'ok  ' : 'FAIL'}  ${result.name}${counts}  ${(result.durationMs / 1000).toFixed(1)} s`);
  }
  const passed = results.reduce((sum, r) => sum + (r.passed ?? 0), 0);
  const failedTests = results.reduce((sum, r) => sum + (r.failed ?? 0), 0);
  const failedStages = results.filter((r) => !r.ok).length;
  console.log(`tests: ${passed} passed, ${failedTests + (failedTests === 0 ? failedStages : 0)} failed`);
  process.exit(failedStages === 0 ? 0 : 1);
}

void main();
