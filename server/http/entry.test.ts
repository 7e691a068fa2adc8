import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedPeerAddress } from '@/server/auth/peer-address';
import { DIRECT_QUERIES_KEY, type DirectQueries } from '@/server/trpc/direct-entry';
import { installHttpEntry } from './entry';

const original = http.createServer;
let server: http.Server;
let url: string;
const seenByNext: { peer: string | undefined; path: string }[] = [];

beforeAll(async () => {
  installHttpEntry();
  server = http.createServer((req, res) => {
    const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
    seenByNext.push({ peer: trustedPeerAddress(headers), path: req.url ?? '' });
    res.end('next');
  });
  http.createServer = original;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete (globalThis as { [DIRECT_QUERIES_KEY]?: DirectQueries })[DIRECT_QUERIES_KEY];
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the HTTP entry', () => {
  it('stamps the TCP peer (a forged header is overwritten) before Next sees the request', async () => {
    await fetch(`${url}/a`, { headers: { 'x-burnrate-peer-address': '10.0.0.1', 'x-burnrate-peer-proof': 'forged' } });
    expect(seenByNext.at(-1)).toEqual({ peer: '127.0.0.1', path: '/a' });
  });

  it('offers each request to the direct handler once it is registered, and Next gets the rest', async () => {
    expect(await (await fetch(`${url}/api/trpc/x`)).text()).toBe('next');
    (globalThis as { [DIRECT_QUERIES_KEY]?: DirectQueries })[DIRECT_QUERIES_KEY] = {
      serve: (req, res) => {
        if (!req.url?.startsWith('/api/trpc/')) return false;
        res.end(`direct ${String(req.headers['x-burnrate-peer-address'])}`);
        return true;
      },
    };
    expect(await (await fetch(`${url}/api/trpc/x`)).text()).toBe('direct 127.0.0.1');
    expect(await (await fetch(`${url}/b`)).text()).toBe('next');
    expect(seenByNext.map((s) => s.path)).toEqual(['/a', '/api/trpc/x', '/b']);
  });
});
