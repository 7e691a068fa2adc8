import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startAlertmanager, type RunningProcess } from '@/demo/prometheus/test-support';
import { alertmanagerGuard, probeAlertmanager } from './alertmanager';

let dir: string;
let alertmanager: RunningProcess;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  await writeFile(config, 'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n');
  alertmanager = await startAlertmanager(config, join(dir, 'data'), await freePort());
});

afterAll(async () => {
  await alertmanager?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('probeAlertmanager against a real Alertmanager', () => {
  it('reports its version, then the refused connection, then fails fast once its breaker opens', async () => {
    expect(await probeAlertmanager(alertmanager.url)).toMatch(new RegExp(`^${alertmanager.url} v0\\.\\d+`));
    await alertmanager.stop();
    // One probe, two retries of the refused connection: three of the five failures that open the breaker.
    await expect(probeAlertmanager(alertmanager.url)).rejects.toThrow('fetch failed');
    expect(alertmanagerGuard(alertmanager.url).snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 3 });
    await expect(probeAlertmanager(alertmanager.url)).rejects.toThrow(/circuit breaker is open/);
    expect(alertmanagerGuard(alertmanager.url).snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 5 });
  });
});
