import 'server-only';
// tRPC queries served straight from the HTTP server, before Next.js routes the request: Next's
// pipeline (routing, the proxy, the route handler's Request and Response) cost ~3 ms per call on
// this 2-core machine, more than the work of a typical panel query. Only GET calls whose
// procedures are all queries come this way: mutations (the cross-site check in proxy.ts) and
// subscriptions (SSE) stay with the Next route, which serves everything in `next dev` too. The
// same router, context, transformer and errors; the proxy's request id and security headers are
// set here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { incomingMessageToRequest } from '@trpc/server/adapters/node-http';
import { isLoopback, securityHeaders } from '@/lib/http-security';
import { logger } from '@/server/observability/logger';
import { appRouter } from '@/server/routers/_app';
import { contextFrom } from './init';
import { DIRECT_QUERIES_KEY, type DirectQueries } from './direct-entry';

const PREFIX = '/api/trpc/';
const gzip = promisify(zlib.gzip);

/** The tRPC path of a GET call whose procedures are all queries, else null (Next serves it). */
export function directQueryPath(method: string | undefined, url: string | undefined): string | null {
  if (method !== 'GET' || !url?.startsWith(PREFIX)) return null;
  const end = url.indexOf('?');
  let path: string;
  try {
    path = decodeURIComponent(url.slice(PREFIX.length, end < 0 ? undefined : end));
  } catch {
    return null;
  }
  // At run time `_def.procedures` is flat, by dotted path (its type describes the nested record).
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;
  const all = path.split(',');
  return all.length > 0 && all.every((name) => procedures[name]?._def.type === 'query') ? path : null;
}

/**
 * Answers of 1 KiB or more are gzipped for clients that accept it (as Next does), except for a
 * client on this machine: there the bytes cost nothing and compressing cost ~1 ms a panel here.
 */
const COMPRESS_FROM_BYTES = 1024;

function compresses(req: IncomingMessage, bytes: number): boolean {
  if (bytes < COMPRESS_FROM_BYTES || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return false;
  // A reverse proxy on this machine (x-forwarded-for) passes the answer on to someone further away.
  if (req.headers['x-forwarded-for']) return true;
  return !isLoopback(req.socket.remoteAddress ?? '');
}

/** The request id and security headers every answer of this entry carries, errors included. */
function setCommonHeaders(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const https = (req.headers['x-forwarded-proto'] ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http')) === 'https';
  res.setHeader('x-request-id', requestId);
  for (const [name, value] of securityHeaders(https)) res.setHeader(name, value);
  // Which entry answered, for whoever debugs a response (the Next route does not set it).
  res.setHeader('x-burnrate-entry', 'direct');
}

async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  req.headers['x-request-id'] = requestId;
  // Its signal aborts when the browser goes away before the answer is out: upstream calls stop.
  const request = incomingMessageToRequest(req, res, { maxBodySize: null });
  const response = await fetchRequestHandler({ endpoint: '/api/trpc', req: request, router: appRouter, createContext: () => contextFrom(request.headers, request.signal) });
  let body = Buffer.from(await response.arrayBuffer());
  response.headers.forEach((value, name) => res.setHeader(name, value));
  setCommonHeaders(req, res, requestId);
  res.setHeader('vary', [response.headers.get('vary'), 'Accept-Encoding'].filter(Boolean).join(', '));
  if (compresses(req, body.length)) {
    body = await gzip(body);
    res.setHeader('content-encoding', 'gzip');
  }
  res.setHeader('content-length', body.length);
  res.writeHead(response.status);
  res.end(body);
}

/** Called once from instrumentation.ts, inside the Next.js server's module graph. */
export function installDirectQueries(): void {
  const direct: DirectQueries = {
    serve(req, res) {
      const path = directQueryPath(req.method, req.url);
      if (path === null) return false;
      const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id']) || crypto.randomUUID();
      handle(req, res, requestId).catch((error: unknown) => {
        // tRPC answers its own errors; this is the request itself failing (a malformed Host, a socket gone).
        logger().warn({ err: error, path, requestId }, 'direct tRPC query failed');
        if (res.headersSent) return void res.end();
        setCommonHeaders(req, res, requestId);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BAD_INPUT', message: 'The request could not be read.' }, requestId }));
      });
      return true;
    },
  };
  (globalThis as { [DIRECT_QUERIES_KEY]?: DirectQueries })[DIRECT_QUERIES_KEY] = direct;
}
