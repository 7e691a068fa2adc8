// The CLI beside a running app on the embedded database: the app holds PGlite, so a command can
// only succeed by running in the app (POST /api/cli with the token of <home>/cli.json).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, waitForHttp, type ManagedProcess } from '@/scripts/lib/processes';
import { freePort } from '@/scripts/lib/test-postgres';
import { cliEndpointPath, readCliEndpoint } from './token';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = '/work/shared/data/focus/focus-1.0-official-sample.csv';

function runCli(
  args: string[],
  home: string,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, BURNRATE_HOME: home, DATABASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

describe('burnrate CLI while the app runs on the embedded database', () => {
  let home: string;
  let app: ManagedProcess;
  let url: string;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'burnrate-cli-app-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    app = startProcess('app', process.execPath, ['--import', 'tsx', 'scripts/start-app.ts'], {
      cwd: ROOT,
      env: { ...process.env, BURNRATE_HOME: home, PORT: String(port), DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForHttp(`${url}/api/ping`, 180_000, () => app.child.exitCode === null);
  }, 200_000);

  afterAll(async () => {
    await app?.stop('SIGINT', 15_000);
    rmSync(home, { recursive: true, force: true });
  });

  it('leaves its endpoint readable by its owner only', () => {
    expect(statSync(cliEndpointPath(home)).mode & 0o777).toBe(0o600);
    expect(readCliEndpoint(home)).toMatchObject({ url, pid: app.child.pid });
  });

  it('imports through the app, which holds the database', async () => {
    const first = await runCli(['import', '--format', 'json', SAMPLE], home);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'imported', rowCount: expect.any(Number) });
    const again = await runCli(['import', SAMPLE], home);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already imported');
  }, 120_000);

  it('refuses a request without the token, and names the field of a bad body', async () => {
    const token = readCliEndpoint(home)!.token;
    const anonymous = await fetch(`${url}/api/cli`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { where: 'authorization' } });
    const wrong = await fetch(`${url}/api/cli`, { method: 'POST', headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    const bad = await fetch(`${url}/api/cli`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ argv: ['import\u0000'], cwd: '/', user: 'me' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { where: 'argv.0' } });
  });

  it('gives a usage error with status 2 for an unknown option', async () => {
    const run = await runCli(['import', '--format', 'xml', SAMPLE], home);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format: text or json, not xml');
  });
});
