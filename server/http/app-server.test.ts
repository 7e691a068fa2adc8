import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedPeerAddress } from '@/server/auth/peer-address';
import { createAppServer } from './app-server';

let server: http.Server;
let url: string;
const seen: { peer: string | undefined; path: string }[] = [];

// The handler stands in for Next.js's: what it sees is what proxy.ts and the routes see.
beforeAll(async () => {
  server = createAppServer(async (req, res) => {
    const headers = new Headers(
      Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
    );
    seen.push({ peer: trustedPeerAddress(headers), path: req.url ?? '' });
    res.end('next');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the app server', () => {
  it('stamps the TCP peer before the handler sees the request; a forged address and proof are overwritten', async () => {
    await fetch(`${url}/a`, { headers: { 'x-burnrate-peer-address': '10.0.0.1', 'x-burnrate-peer-proof': 'forged' } });
    expect(seen.at(-1)).toEqual({ peer: '127.0.0.1', path: '/a' });
  });

  it('hands every request, tRPC included, to the one handler', async () => {
    expect(await (await fetch(`${url}/api/trpc/auth.status`)).text()).toBe('next');
    expect(seen.map((s) => s.path)).toEqual(['/a', '/api/trpc/auth.status']);
  });
});
