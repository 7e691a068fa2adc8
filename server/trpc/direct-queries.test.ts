import http from 'node:http';
import type { AddressInfo } from 'node:net';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCalls, answerWithAdapter, directQueryPath, plainQueryCalls } from './direct-queries';

const input = `?input=${encodeURIComponent(JSON.stringify({ json: null }))}`;

describe('direct tRPC queries', () => {
  it('takes GET calls whose procedures are all queries, batches included', () => {
    expect(directQueryPath('GET', `/api/trpc/system.ping${input}`)).toBe('system.ping');
    expect(directQueryPath('GET', '/api/trpc/system.ping')).toBe('system.ping');
    expect(directQueryPath('GET', `/api/trpc/system.ping,metrics.panel?batch=1&input=%7B%7D`)).toBe('system.ping,metrics.panel');
    expect(directQueryPath('GET', `/api/trpc/system.ping%2Cmetrics.panel?batch=1`)).toBe('system.ping,metrics.panel');
  });

  it('leaves mutations, subscriptions, other methods and unknown paths to the Next route', () => {
    expect(directQueryPath('POST', '/api/trpc/system.ping')).toBeNull();
    expect(directQueryPath('HEAD', '/api/trpc/system.ping')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/actions.execute')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/metrics.explore')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/system.clock')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/system.ping,system.clock?batch=1')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/no.such')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/%E0%A4%A?x')).toBeNull();
    expect(directQueryPath('GET', '/api/health')).toBeNull();
    expect(directQueryPath('GET', '/api/trpcx/system.ping')).toBeNull();
    expect(directQueryPath(undefined, undefined)).toBeNull();
  });
});

describe('the lean answer of plain query calls', () => {
  const plainInput = (value: unknown): string => encodeURIComponent(JSON.stringify(value));
  const headers = (entries: Record<string, string> = {}) => new Headers(entries);

  it('reads single calls and httpBatchLink batches, inputs deserialized as tRPC does', () => {
    expect(plainQueryCalls('/api/trpc/system.ping', headers())).toEqual({ isBatch: false, paths: ['system.ping'], inputs: [undefined] });
    const date = superjson.serialize({ at: new Date('2026-01-02T03:04:05Z') });
    const single = plainQueryCalls(`/api/trpc/system.ping?input=${plainInput(date)}`, headers());
    expect(single).toEqual({ isBatch: false, paths: ['system.ping'], inputs: [{ at: new Date('2026-01-02T03:04:05Z') }] });
    const batch = plainQueryCalls(`/api/trpc/system.ping,system.whoami?batch=1&input=${plainInput({ 1: { json: 7 } })}`, headers());
    expect(batch).toEqual({ isBatch: true, paths: ['system.ping', 'system.whoami'], inputs: [undefined, 7] });
  });

  it("leaves to tRPC's adapter what it alone answers: streaming, bad input JSON, other parameters, unknown or non-query paths", () => {
    const url = `/api/trpc/system.ping?batch=1&input=${plainInput({ 0: { json: null } })}`;
    expect(plainQueryCalls(url, headers())).not.toBeNull();
    expect(plainQueryCalls(url, headers({ 'trpc-accept': 'application/jsonl' }))).toBeNull();
    expect(plainQueryCalls(url, headers({ accept: 'application/json, application/jsonl' }))).toBeNull();
    expect(plainQueryCalls('/api/trpc/system.ping?input=%7Bnot%20json', headers())).toBeNull();
    expect(plainQueryCalls(`/api/trpc/system.ping?batch=1&input=${plainInput([{ json: 1 }])}`, headers())).toBeNull();
    expect(plainQueryCalls(`${url}&connectionParams=1`, headers())).toBeNull();
    expect(plainQueryCalls('/api/trpc/system.ping,system.whoami', headers())).toBeNull();
    expect(plainQueryCalls('/api/trpc/system.clock', headers())).toBeNull();
    expect(plainQueryCalls('/api/trpc/actions.execute', headers())).toBeNull();
    expect(plainQueryCalls(url, headers({ 'content-type': 'multipart/form-data; boundary=x' }))).toBeNull();
    expect(plainQueryCalls(url, headers({ 'content-type': 'application/octet-stream' }))).toBeNull();
    expect(plainQueryCalls(url, headers({ 'content-type': 'application/json' }))).not.toBeNull();
    expect(plainQueryCalls('/api/trpc/system.ping?batch=1#&input=%7B%7D', headers())).toBeNull();
  });

  describe('answers byte for byte as tRPC’s fetch adapter', () => {
    let server: http.Server;
    let base: string;
    const saved = process.env.BURNRATE_AUTH;

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        const lean = req.headers['x-test-path'] === 'lean';
        const calls = lean ? plainQueryCalls(req.url!, { get: (name) => (req.headers[name] as string | undefined) ?? null }) : null;
        if (lean && !calls) {
          res.writeHead(599);
          res.end('not a plain query call');
          return;
        }
        void (calls ? answerCalls(req, res, 'test-request', calls) : answerWithAdapter(req, res, 'test-request'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      process.env.BURNRATE_AUTH = saved;
      await new Promise((resolve) => server.close(resolve));
    });

    async function both(url: string): Promise<{ status: number; body: string; type: string | null; vary: string | null }[]> {
      return Promise.all(
        ['lean', 'adapter'].map(async (path) => {
          const response = await fetch(`${base}${url}`, { headers: { 'x-test-path': path } });
          return { status: response.status, body: await response.text(), type: response.headers.get('content-type'), vary: response.headers.get('vary') };
        }),
      );
    }

    const panelInput = (pointsWanted: number, from = 'now-1h', to = 'now') => ({ json: { panel: 'gpu.power', cluster: 'all', range: { from, to }, pointsWanted } });
    const cases: [auth: string, name: string, url: string, status: number][] = [
      ['demo', 'a single call without input', '/api/trpc/system.ping', 200],
      ['demo', 'a single call with input', `/api/trpc/system.ping?input=${plainInput({ json: null })}`, 200],
      ['demo', 'a batch', `/api/trpc/system.ping,system.whoami?batch=1&input=${plainInput({})}`, 200],
      ['demo', 'input refused by the schema (field errors)', `/api/trpc/metrics.panel?input=${plainInput(panelInput(5))}`, 400],
      ['demo', 'a domain error (the range ends before it starts)', `/api/trpc/metrics.panel?input=${plainInput(panelInput(100, 'now', 'now-1h'))}`, 400],
      ['demo', 'a batch with one failing call', `/api/trpc/system.ping,metrics.panel?batch=1&input=${plainInput({ 1: panelInput(5) })}`, 207],
      ['demo', 'a batch whose calls all fail alike', `/api/trpc/metrics.panel,metrics.panel?batch=1&input=${plainInput({ 0: panelInput(5), 1: panelInput(2000) })}`, 400],
      ['oidc', 'a viewer procedure without a session', `/api/trpc/metrics.panel?input=${plainInput(panelInput(100))}`, 401],
      ['oidc', 'a batch without a session', `/api/trpc/system.ping,metrics.panel?batch=1&input=${plainInput({ 1: panelInput(100) })}`, 207],
    ];

    it("sends a streamed answer whole, with a length and without chunked transfer encoding", async () => {
      process.env.BURNRATE_AUTH = 'demo';
      const response = await fetch(`${base}/api/trpc/system.ping?batch=1&input=${plainInput({})}`, { headers: { 'x-test-path': 'adapter', 'trpc-accept': 'application/jsonl' } });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get('transfer-encoding')).toBeNull();
      expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      expect(text).toContain('burnrate');
    });

    it.each(cases)('%s auth: %s', async (auth, _name, url, status) => {
      process.env.BURNRATE_AUTH = auth;
      const [lean, adapter] = await both(url);
      expect(adapter!.status).toBe(status);
      expect(lean).toEqual(adapter);
    });
  });
});
