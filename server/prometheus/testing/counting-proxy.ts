import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

// Test helper: an HTTP proxy in front of a real Prometheus that counts what reaches it.

export interface CountingProxy {
  url: string;
  /** Requests received, by path (e.g. `/api/v1/query_range`). */
  counts: Map<string, number>;
  /** Every request's path and parameters (query string and form body), in order of arrival. */
  requests: { path: string; params: URLSearchParams }[];
  /** Requests whose client hung up before the answer was sent. */
  abandoned: number;
  /** While held, requests wait before being forwarded (to keep them in flight). */
  hold(): void;
  release(): void;
  total(path?: string): number;
  close(): Promise<void>;
}

export async function startCountingProxy(upstreamUrl: string): Promise<CountingProxy> {
  const upstream = new URL(upstreamUrl);
  let gate: Promise<void> | null = null;
  let openGate: () => void = () => undefined;

  const proxy: CountingProxy = {
    url: '',
    counts: new Map(),
    requests: [],
    abandoned: 0,
    hold: () => {
      gate ??= new Promise((resolve) => (openGate = resolve));
    },
    release: () => {
      openGate();
      gate = null;
    },
    total: (path) =>
      path === undefined ? [...proxy.counts.values()].reduce((a, b) => a + b, 0) : (proxy.counts.get(path) ?? 0),
    close: async () => {
      proxy.release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    proxy.counts.set(path, (proxy.counts.get(path) ?? 0) + 1);
    let answered = false;
    res.on('close', () => {
      if (!answered) proxy.abandoned++;
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(new URL(req.url ?? '/', 'http://proxy').search);
    for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.append(name, value);
    proxy.requests.push({ path, params });
    if (gate) await gate;
    if (res.destroyed) return;
    const upstreamRequest = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
        upstreamResponse.on('end', () => (answered = true));
      },
    );
    upstreamRequest.on('error', () => {
      answered = true;
      res.destroy();
    });
    upstreamRequest.end(Buffer.concat(chunks));
  };

  const server = createServer((req, res) => void forward(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  proxy.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return proxy;
}
