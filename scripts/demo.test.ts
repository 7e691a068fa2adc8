// The launcher as a user runs it: starts, refuses a second copy, and leaves nothing behind on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const home = mkdtempSync(path.join(os.tmpdir(), 'burnrate-demo-test-'));
const env = {
  ...process.env,
  BURNRATE_HOME: home,
  PORT: '3211',
  BURNRATE_DEMO_PORT_OFFSET: '200',
  BURNRATE_DEMO_HISTORY_DAYS: '0.1',
};

/** Every process on the machine started with this test's BURNRATE_HOME in its environment. */
function processesOfThisDemo(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`BURNRATE_HOME=${home}`)) pids.push(Number(entry));
    } catch {
      continue;
    }
  }
  return pids;
}

function startDemo(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

afterAll(() => {
  for (const pid of processesOfThisDemo()) process.kill(pid, 'SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('serves the app with a healthy database, refuses a second copy, and Ctrl-C leaves no process behind', async () => {
    const demo = startDemo();
    await waitFor(
      () => demo.output().includes('Burnrate demo is running'),
      240_000,
      `the demo to start:\n${demo.output()}`,
    );

    const health = (await (await fetch('http://127.0.0.1:3211/api/health')).json()) as {
      checks: { database: { status: string } };
    };
    expect(health.checks.database.status).toBe('ok');
    const prometheusTargets = (await (await fetch('http://127.0.0.1:9290/api/v1/targets')).json()) as {
      status: string;
    };
    expect(prometheusTargets.status).toBe('success');
    expect(processesOfThisDemo().length).toBeGreaterThanOrEqual(3);

    const second = startDemo();
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/already running \(pid \d+/);

    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toContain('demo: stopped');
    expect(processesOfThisDemo()).toEqual([]);
  }, 300_000);
});
