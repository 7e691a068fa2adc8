import 'server-only';
// tRPC queries served straight from the HTTP server, before Next.js routes the request: Next's
// pipeline (routing, the proxy, the route handler's Request and Response) cost ~3 ms per call on
// this 2-core machine, more than the work of a typical panel query. Only GET calls whose
// procedures are all queries come this way: mutations (the cross-site check in proxy.ts) and
// subscriptions (SSE) stay with the Next route, which serves everything in `next dev` too. The
// same router, context, transformer and errors; the proxy's request id and security headers are
// set here. The browser's calls (httpBatchLink GETs) are run and answered without Fetch API
// objects (`answerCalls`, tested byte for byte against tRPC's adapter); anything else a query GET
// may carry goes through tRPC's fetch adapter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCode } from '@trpc/server/http';
import { incomingMessageToRequest } from '@trpc/server/adapters/node-http';
import { isLoopback, reachedOverHttps, securityHeaders, type HeaderReader } from '@/lib/http-security';
import { logger } from '@/server/observability/logger';
import { appRouter } from '@/server/routers/_app';
import { contextFrom } from './init';
import { DIRECT_QUERIES_KEY, type DirectQueries } from './direct-entry';

const PREFIX = '/api/trpc/';
const gzip = promisify(zlib.gzip);

/** True when every path names a query procedure. */
function allQueries(paths: string[]): boolean {
  // At run time `_def.procedures` is flat, by dotted path (its type describes the nested record).
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;
  return paths.length > 0 && paths.every((name) => procedures[name]?._def.type === 'query');
}

/** The decoded procedure path of a tRPC URL, or null when it does not decode. */
function procedurePath(url: string, queryStart: number): string | null {
  try {
    return decodeURIComponent(url.slice(PREFIX.length, queryStart < 0 ? undefined : queryStart));
  } catch {
    return null;
  }
}

/** The tRPC path of a GET call whose procedures are all queries, else null (Next serves it). */
export function directQueryPath(method: string | undefined, url: string | undefined): string | null {
  if (method !== 'GET' || !url?.startsWith(PREFIX)) return null;
  const path = procedurePath(url, url.indexOf('?'));
  return path !== null && allQueries(path.split(',')) ? path : null;
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
  const https = reachedOverHttps(nodeHeaders(req).get('x-forwarded-proto'), (req.socket as { encrypted?: boolean }).encrypted === true);
  res.setHeader('x-request-id', requestId);
  for (const [name, value] of securityHeaders(https)) res.setHeader(name, value);
  // Which entry answered, for whoever debugs a response (the Next route does not set it).
  res.setHeader('x-burnrate-entry', 'direct');
}

/** The calls of a plain query GET: httpBatchLink's (`?batch=1&input={"0":…}`) or a single call (`?input=…`). */
export interface QueryCalls {
  isBatch: boolean;
  paths: string[];
  /** Deserialized inputs by call index; undefined where a call sent none. */
  inputs: unknown[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The calls of a GET that `answerCalls` serves, or null: then tRPC's own adapter answers it, with
 * its own errors (bad input JSON, unknown procedure, streaming, connection params…). Inputs are
 * read as tRPC reads them (jsonContentTypeHandler): a batch's `input` is an object by call index.
 */
export function plainQueryCalls(url: string, headers: HeaderReader): QueryCalls | null {
  const accept = headers.get('trpc-accept') ?? headers.get('accept');
  if (accept?.includes('application/jsonl')) return null;
  // tRPC picks its input reader by content type (form data, octet streams refuse a GET).
  const contentType = headers.get('content-type');
  if (contentType !== null && !contentType.startsWith('application/json')) return null;
  // A fragment reaches a Node server in the request line; the URL parser of the adapter drops it.
  if (url.includes('#')) return null;
  const queryStart = url.indexOf('?');
  const search = new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1));
  for (const name of search.keys()) if (name !== 'batch' && name !== 'input') return null;
  const isBatch = search.get('batch') === '1';
  const path = procedurePath(url, queryStart);
  if (path === null) return null;
  const paths = isBatch ? path.split(',') : [path];
  if (!allQueries(paths)) return null;
  const deserialize = (value: unknown): unknown => appRouter._def._config.transformer.input.deserialize(value);
  const inputs: unknown[] = paths.map(() => undefined);
  const raw = search.get('input');
  if (!raw) return { isBatch, paths, inputs };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isBatch) {
      inputs[0] = deserialize(parsed);
    } else {
      if (!isPlainObject(parsed)) return null;
      paths.forEach((_, index) => {
        if (parsed[index] !== undefined) inputs[index] = deserialize(parsed[index]);
      });
    }
  } catch {
    return null;
  }
  return { isBatch, paths, inputs };
}

/** A Node request's headers read as a Fetch `Headers` would read them. */
function nodeHeaders(req: IncomingMessage): HeaderReader {
  return {
    get(name: string) {
      const value = req.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** tRPC's refusal of a stream-like answer to a non-streaming call (resolveResponse). */
function isDataStream(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const isAsync = (v: unknown): boolean =>
    typeof v === 'object' && v !== null && (typeof (v as PromiseLike<unknown>).then === 'function' || Symbol.asyncIterator in v);
  return isAsync(value) || Object.values(value).some(isAsync);
}

/**
 * Runs the calls and writes the answer tRPC's fetch adapter would write for them, byte for byte
 * (a test compares the two), without building a Fetch Request and Response around them: their
 * construction, body streams and abort signals were ~0.35 ms of a ~3 ms panel query.
 */
export async function answerCalls(req: IncomingMessage, res: ServerResponse, requestId: string, calls: QueryCalls): Promise<void> {
  const config = appRouter._def._config;
  // Aborted when the browser goes away before the answer is out: upstream calls stop.
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableEnded) controller.abort();
  };
  res.once('close', onClose);
  req.headers['x-request-id'] = requestId;
  const headers = nodeHeaders(req);
  let context: { ok: true; ctx: Awaited<ReturnType<typeof contextFrom>> } | { ok: false; error: unknown };
  try {
    context = { ok: true, ctx: await contextFrom(headers, controller.signal) };
  } catch (error) {
    context = { ok: false, error };
  }
  const ctx = context.ok ? context.ctx : undefined;
  const answers = await Promise.all(
    calls.paths.map(async (path, index) => {
      const input = calls.inputs[index];
      try {
        if (!context.ok) throw context.error;
        const data: unknown = await callTRPCProcedure({ router: appRouter, path, getRawInput: async () => input, ctx: context.ctx, type: 'query', signal: controller.signal, batchIndex: index });
        if (isDataStream(data)) throw new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink' });
        return { result: { data } };
      } catch (cause) {
        return { error: getErrorShape({ config, error: getTRPCErrorFromUnknown(cause), type: 'query', path, input, ctx }) };
      }
    }),
  );
  res.setHeader('content-type', 'application/json');
  const body = Buffer.from(JSON.stringify(transformTRPCResponse(config, calls.isBatch ? answers : answers[0]!)));
  await sendWhole(req, res, requestId, getHTTPStatusCode(answers), body, 'trpc-accept, accept');
}

/** The answer in one piece: common headers, `vary`, gzip where it pays, its length. */
async function sendWhole(req: IncomingMessage, res: ServerResponse, requestId: string, status: number, body: Buffer, vary: string | null): Promise<void> {
  setCommonHeaders(req, res, requestId);
  res.setHeader('vary', [vary, 'Accept-Encoding'].filter(Boolean).join(', '));
  let sent = body;
  if (compresses(req, body.length)) {
    sent = await gzip(body);
    res.setHeader('content-encoding', 'gzip');
  }
  res.setHeader('content-length', sent.length);
  res.writeHead(status);
  res.end(sent);
}

/** Everything else a query GET may carry, answered by tRPC's fetch adapter. */
export async function answerWithAdapter(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  req.headers['x-request-id'] = requestId;
  // Its signal aborts when the browser goes away before the answer is out: upstream calls stop.
  const request = incomingMessageToRequest(req, res, { maxBodySize: null });
  const response = await fetchRequestHandler({ endpoint: '/api/trpc', req: request, router: appRouter, createContext: () => contextFrom(request.headers, request.signal) });
  const body = Buffer.from(await response.arrayBuffer());
  // The body is sent whole, with its length: a streamed answer's `transfer-encoding` must not go along.
  response.headers.forEach((value, name) => {
    if (name !== 'transfer-encoding' && name !== 'content-length') res.setHeader(name, value);
  });
  await sendWhole(req, res, requestId, response.status, body, response.headers.get('vary'));
}

/** Called once from instrumentation.ts, inside the Next.js server's module graph. */
export function installDirectQueries(): void {
  const direct: DirectQueries = {
    serve(req, res) {
      if (req.method !== 'GET' || !req.url?.startsWith(PREFIX)) return false;
      // The browser's calls are plain query calls: their URL is read once. Only the rest is checked again.
      const calls = plainQueryCalls(req.url, nodeHeaders(req));
      if (!calls && directQueryPath(req.method, req.url) === null) return false;
      const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id']) || crypto.randomUUID();
      (calls ? answerCalls(req, res, requestId, calls) : answerWithAdapter(req, res, requestId)).catch((error: unknown) => {
        // tRPC answers its own errors; this is the request itself failing (a malformed Host, a socket gone).
        logger().warn({ err: error, url: req.url, requestId }, 'direct tRPC query failed');
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
