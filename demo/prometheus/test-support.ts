import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

// Real Prometheus and Alertmanager processes for integration tests, on ports the OS picks.

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface RunningProcess {
  url: string;
  stop: () => Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}): ${output()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready: ${url}: ${output()}`);
}

function startProcess(bin: string, args: string[], readyUrl: string, url: string): Promise<RunningProcess> {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  return waitReady(readyUrl, child, () => stderr).then(
    () => ({ url, stop }),
    async (e: unknown) => {
      await stop();
      throw e;
    },
  );
}

export async function startPrometheus(configFile: string, dataDir: string, port: number): Promise<RunningProcess> {
  const url = `http://127.0.0.1:${port}`;
  return startProcess(
    '/usr/bin/prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=60d',
      '--log.level=warn',
    ],
    `${url}/-/ready`,
    url,
  );
}

export async function startAlertmanager(configFile: string, storageDir: string, port: number): Promise<RunningProcess> {
  const url = `http://127.0.0.1:${port}`;
  return startProcess(
    '/usr/bin/prometheus-alertmanager',
    [
      `--config.file=${configFile}`,
      `--storage.path=${storageDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    `${url}/-/ready`,
    url,
  );
}

const vectorSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        value: z.tuple([z.number(), z.string()]).optional(),
        values: z.array(z.tuple([z.number(), z.string()])).optional(),
      }),
    ),
  }),
});

export type PromResult = z.infer<typeof vectorSchema>['data']['result'];

export async function query(prometheusUrl: string, promql: string, timeSeconds?: number): Promise<PromResult> {
  const params = new URLSearchParams({
    query: promql,
    ...(timeSeconds !== undefined ? { time: String(timeSeconds) } : {}),
  });
  const res = await fetch(`${prometheusUrl}/api/v1/query?${params}`);
  return vectorSchema.parse(await res.json()).data.result;
}

export async function queryRange(
  prometheusUrl: string,
  promql: string,
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number,
): Promise<PromResult> {
  const params = new URLSearchParams({
    query: promql,
    start: String(startSeconds),
    end: String(endSeconds),
    step: String(stepSeconds),
  });
  const res = await fetch(`${prometheusUrl}/api/v1/query_range?${params}`);
  return vectorSchema.parse(await res.json()).data.result;
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface WebhookReceiver {
  url: string;
  posts: unknown[];
  close: () => Promise<void>;
}

/** A real HTTP server that records what Alertmanager posts to /api/alerts/webhook. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const posts: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/alerts/webhook') posts.push(JSON.parse(body));
      res.writeHead(req.method === 'POST' ? 200 : 404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
