import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { isLoopback } from '@/lib/http-security';
import { appConfig } from '@/server/config';

const gunzip = promisify(zlib.gunzip);

export interface TransportResponse {
  status: number;
  text: string;
}

// Keep-alive connections per process: a dashboard's panels reuse a few sockets to Prometheus.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/**
 * Compression only where it pays: to a Prometheus on this machine the bytes cost nothing, while
 * Prometheus sets up a gzip writer per answer (~1 ms a query here, measured against the same query
 * uncompressed); across a network a week of a big panel is megabytes of JSON. PROMETHEUS_COMPRESSION
 * (`gzip` or `none`) overrides.
 */
export function wantsGzip(target: URL, setting = appConfig().prometheusCompression): boolean {
  if (setting === 'gzip') return true;
  if (setting === 'none') return false;
  return !isLoopback(target.hostname);
}

/**
 * One HTTP exchange with node:http rather than `fetch`: inside the Next.js server `fetch` is the
 * framework's patched one (tracing and cache bookkeeping on every call), which cost ~0.9 ms per
 * Prometheus call here, a quarter of a typical panel query. Errors are the socket's own
 * (ECONNREFUSED…); an abort of `signal` (the caller's, or the guard's timeout) destroys the request.
 */
export function httpExchange(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; signal?: AbortSignal },
): Promise<TransportResponse> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TypeError(`unsupported protocol ${target.protocol} in ${url}`));
  return new Promise((resolve, reject) => {
    const headers = {
      'accept-encoding': wantsGzip(target) ? 'gzip' : 'identity',
      ...init.headers,
      ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
    };
    const request = transport.request(
      target,
      { method: init.method, headers, agent, signal: init.signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          // Decompressed off the event loop: a week of a big panel is megabytes of JSON.
          const decoded = response.headers['content-encoding'] === 'gzip' ? gunzip(raw) : Promise.resolve(raw);
          decoded.then((bytes) => resolve({ status: response.statusCode ?? 0, text: bytes.toString('utf8') }), reject);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    if (init.body !== undefined) request.write(init.body);
    request.end();
  });
}
