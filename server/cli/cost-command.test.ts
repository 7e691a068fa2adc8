import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDayMs, hourMs, writeCostFixture } from '@/server/cost/testing/cost-fixture';
import { createTestDatabase, type TestDatabase } from '@/server/db/testing';
import { runCliCommand } from './commands';

// The commands as the CLI and POST /api/cli run them, on PGlite (the queries are tested on both drivers).
describe('burnrate cost and reconcile', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await writeCostFixture(database);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
    const code = await runCliCommand(argv, { io, database, actor: 'cli:test', cwd: '/' });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const from = new Date(fixtureDayMs).toISOString();
  const to = new Date(fixtureDayMs + 24 * hourMs).toISOString();

  it('prints workloads with cost, currency and unit costs as JSON', async () => {
    const { code, out } = await run(['cost', '--from', from, '--to', to, '--by', 'workload', '--format', 'json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as Record<string, unknown>[];
    expect(rows[0]).toEqual({
      kind: 'workload',
      key: 'c1/llm/Deployment/chat',
      cluster: 'c1',
      namespace: 'llm',
      workloadKind: 'Deployment',
      workloadName: 'chat',
      cost: '1.3',
      currency: 'USD',
      estimate: false,
      sources: 'bill',
      requests: 2000,
      promptTokens: 1_000_000,
      generatedTokens: 200_000,
      costPer1kRequests: '0.65',
      costPer1MTokens: '1.0833333333',
    });
    expect(rows.map((r) => [r.key, r.cost])).toEqual([
      ['c1/llm/Deployment/chat', '1.3'],
      ['__shared__', '0.4'],
      ['c1/web/Deployment/web', '0.3'],
      ['__idle__', '0.2'],
    ]);
  });

  it('writes CSV with a header and exact decimals', async () => {
    const { code, out } = await run(['cost', `--from=${from}`, `--to=${to}`, '--by=team', '--format=csv']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'kind,key,cluster,team,namespace,workloadKind,workloadName,pod,cost,currency,estimate,sources,requests,promptTokens,generatedTokens,costPer1kRequests,costPer1MTokens',
    );
    expect(lines[1]).toBe('workload,assistant,,assistant,,,,,1.3,USD,false,bill,,,,,');
    expect(lines).toHaveLength(5);
  });

  it('refuses bad arguments with exit status 2, naming the option', async () => {
    expect(await run(['cost', '--by', 'planet'])).toMatchObject({ code: 2, err: expect.stringContaining('--by:') });
    expect(await run(['cost', '--from', 'yesterday-ish'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--from:'),
    });
    expect(await run(['cost', '--format', 'xml'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--format:'),
    });
    expect(await run(['cost', '--colour', 'red'])).toMatchObject({ code: 2, err: expect.stringContaining('--colour') });
    expect(await run(['reconcile', '--day', '2026-13-45', '--cluster', 'c1'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--day:'),
    });
    expect(await run(['reconcile', '--day', '2026-11-02'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--cluster:'),
    });
  });

  it('reconciles a day and cluster as JSON: billed, allocated, idle, shared, gap, gapPercent', async () => {
    const { code, out } = await run(['reconcile', '--day', '2026-11-02', '--cluster', 'c1', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      billed: '2.7',
      allocated: '1.6',
      idle: '0.2',
      shared: '0.4',
      gap: '0.5',
      gapPercent: '18.5185',
    });
    expect(await run(['reconcile', '--day', '2026-11-03', '--cluster', 'c1'])).toMatchObject({
      code: 1,
      err: expect.stringContaining('no allocation of c1 on 2026-11-03'),
    });
  });
});
