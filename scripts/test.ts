// `npm test`: typecheck, lint, build, unit and integration tests (vitest), then the e2e tests
// (Playwright, Debian Chromium, production build). Runs every stage, prints one summary.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from './lib/build';
import { runCommand } from './lib/processes';

const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, 'test-results');

interface StageResult {
  name: string;
  ok: boolean;
  durationMs: number;
  passed?: number;
  failed?: number;
}

async function stage(name: string, run: () => Promise<boolean>, counts?: () => { passed: number; failed: number } | undefined): Promise<StageResult> {
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

function vitestCounts(): { passed: number; failed: number } | undefined {
  const report = readJson<{ numPassedTests: number; numFailedTests: number }>(path.join(resultsDir, 'vitest.json'));
  return report && { passed: report.numPassedTests, failed: report.numFailedTests };
}

function playwrightCounts(): { passed: number; failed: number } | undefined {
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(path.join(resultsDir, 'playwright.json'));
  return report && { passed: report.stats.expected, failed: report.stats.unexpected + report.stats.flaky };
}

async function main(): Promise<void> {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const results: StageResult[] = [];
  results.push(await stage('typecheck', () => npx(['tsc', '--noEmit'])));
  results.push(await stage('lint', () => npx(['eslint', '--max-warnings=0', '.'])));
  const build = await stage('build', async () => { await ensureBuild(root); return true; });
  results.push(build);
  results.push(await stage(
    'unit and integration tests (vitest)',
    () => npx(['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(resultsDir, 'vitest.json')}`]),
    vitestCounts,
  ));
  if (build.ok) {
    const e2eHome = mkdtempSync(path.join(os.tmpdir(), 'burnrate-e2e-'));
    process.env.E2E_BURNRATE_HOME = e2eHome;
    results.push(await stage('e2e tests (playwright, against the demo)', () => npx(['playwright', 'test']), playwrightCounts));
    rmSync(e2eHome, { recursive: true, force: true });
  } else {
    results.push({ name: 'e2e tests (playwright)', ok: false, durationMs: 0 });
  }

  console.log('\n━━ summary ━━');
  for (const result of results) {
    const counts = result.passed === undefined ? '' : ` (${result.passed} passed, ${result.failed} failed)`;
    console.log(`${result.ok ? 'ok  ' : 'FAIL'}  ${result.name}${counts}  ${(result.durationMs / 1000).toFixed(1)} s`);
  }
  const passed = results.reduce((sum, r) => sum + (r.passed ?? 0), 0);
  const failedTests = results.reduce((sum, r) => sum + (r.failed ?? 0), 0);
  const failedStages = results.filter((r) => !r.ok).length;
  console.log(`tests: ${passed} passed, ${failedTests + (failedTests === 0 ? failedStages : 0)} failed`);
  process.exit(failedStages === 0 ? 0 : 1);
}

void main();
