// The HTTP front of a simulated cluster: authentication, RBAC, discovery, OpenAPI, routing to the
// resource verbs, watches, and a /debug/connections counter for tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import {
  type ApiContext,
  type ApiResponse,
  createResource,
  deleteResource,
  getResource,
  listResource,
  patchResource,
  type ResourceRequest,
  updateResource,
} from './api.ts';
import { denyReason, type DemoUser, forbiddenMessage, userForToken } from './auth.ts';
import { openApiDocument } from './openapi.ts';
import { decodeAccessReview } from './protobuf.ts';
import { apiGroupList, apiResourceList, findResource, groupVersions } from './resources.ts';
import { ApiError, statusBody } from './status.ts';
import type { KubeStore } from './store.ts';
import { demoCertificate, dualProtocolServer } from './tls.ts';
import { serveWatch } from './watch.ts';

export interface KubeServerOptions {
  store: KubeStore;
  port: number;
  host?: string;
  random: () => number;
  /** How often watches that allow bookmarks get one (the real API server: about a minute). */
  bookmarkIntervalMs?: number;
}

export interface KubeServerStats {
  requestsTotal: number;
  watches: Record<string, number>;
  watchesTotal: number;
}

export interface KubeServer {
  /** HTTPS (self-signed; kubectl sends tokens only over TLS). */
  url: string;
  /** The same API over plain HTTP on the same port. */
  httpUrl: string;
  port: number;
  stats(): KubeServerStats;
  close(): Promise<void>;
}

const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz', '/debug/connections']);
const maxBodyBytes = 3 * 1024 * 1024;

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new ApiError(413, 'RequestEntityTooLarge', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string, path: string): unknown {
  if (contentType.includes('protobuf')) {
    if (path.endsWith('/selfsubjectaccessreviews')) return decodeAccessReview(raw);
    if (path.endsWith('/selfsubjectreviews')) return null;
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return null;
  if (contentType.includes('yaml')) return parseYaml(text) as unknown;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}

interface Route {
  group: string;
  version: string;
  rest: string[];
}

function splitApiPath(path: string): Route | undefined {
  const parts = path
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  if (parts[0] === 'api' && parts[1]) return { group: '', version: parts[1], rest: parts.slice(2) };
  if (parts[0] === 'apis' && parts[1] && parts[2]) return { group: parts[1], version: parts[2], rest: parts.slice(3) };
  return undefined;
}

export async function startKubeServer(options: KubeServerOptions): Promise<KubeServer> {
  const { store } = options;
  const ctx: ApiContext = { store, random: options.random };
  const stats: KubeServerStats = { requestsTotal: 0, watches: {}, watchesTotal: 0 };
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;

  function authorize(user: DemoUser, attrs: Parameters<typeof denyReason>[1]): void {
    if (denyReason(user, attrs) === undefined) return;
    throw new ApiError(403, 'Forbidden', forbiddenMessage(user, attrs), {
      name: attrs.name,
      group: attrs.group,
      kind: attrs.resource,
    });
  }

  function accessReview(user: DemoUser, body: unknown): ApiResponse {
    const review = (body ?? {}) as {
      spec?: { resourceAttributes?: Record<string, string>; nonResourceAttributes?: { path?: string; verb?: string } };
    };
    const attrs = review.spec?.resourceAttributes;
    let reason: string | undefined;
    if (attrs) {
      reason = denyReason(user, {
        verb: attrs.verb ?? '',
        group: attrs.group ?? '',
        resource: attrs.resource ?? '',
        subresource: attrs.subresource || undefined,
        namespace: attrs.namespace || undefined,
        name: attrs.name || undefined,
      });
    } else {
      reason =
        (review.spec?.nonResourceAttributes?.verb ?? 'get') === 'get' || user.role === 'admin' || user.role === 'app'
          ? undefined
          : `the ${user.role} role only reads non-resource URLs`;
    }
    return {
      code: 201,
      body: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: review.spec ?? {},
        status:
          reason === undefined
            ? { allowed: true, reason: `RBAC: allowed for the ${user.role} role` }
            : { allowed: false, reason },
      },
    };
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    user: DemoUser,
  ): Promise<ApiResponse | undefined> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (path === '/api') {
      return {
        code: 200,
        body: {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host ?? '' }],
        },
      };
    }
    if (path === '/apis') return { code: 200, body: apiGroupList() };
    if (path.startsWith('/openapi/')) {
      const doc = openApiDocument(path);
      if (doc) return { code: 200, body: doc };
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'apis' && parts.length === 2) {
      const versions = groupVersions().filter((g) => g.group === parts[1]);
      if (versions.length === 0)
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      const list = versions.map((v) => ({ groupVersion: `${v.group}/${v.version}`, version: v.version }));
      return {
        code: 200,
        body: { kind: 'APIGroup', apiVersion: 'v1', name: parts[1], versions: list, preferredVersion: list[0] },
      };
    }
    const apiRoute = splitApiPath(path);
    if (!apiRoute) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const { group, version } = apiRoute;
    let rest = apiRoute.rest;
    if (rest.length === 0) {
      const list = apiResourceList(group, version);
      if (!list) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return { code: 200, body: list };
    }
    const contentType = req.headers['content-type'] ?? 'application/json';
    const body = method === 'GET' || method === 'HEAD' ? null : parseBody(await readBody(req), contentType, path);

    if (method === 'POST' && group === 'authorization.k8s.io' && rest[0] === 'selfsubjectaccessreviews')
      return accessReview(user, body);
    if (method === 'POST' && group === 'authentication.k8s.io' && rest[0] === 'selfsubjectreviews') {
      return {
        code: 201,
        body: {
          kind: 'SelfSubjectReview',
          apiVersion: 'authentication.k8s.io/v1',
          metadata: { creationTimestamp: null },
          status: { userInfo: { username: user.username, groups: user.groups } },
        },
      };
    }

    let legacyWatch = false;
    if (rest[0] === 'watch') {
      legacyWatch = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined;
    const namespaceSubresource = group === '' && rest.length === 3 && ['status', 'finalize'].includes(rest[2] ?? '');
    if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural = '', name, subresource] = rest;
    const info = findResource(group, version, plural);
    if (!info || rest.length > 3 || (namespace !== undefined && !info.namespaced)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (subresource && !(info.subresources as string[]).includes(subresource)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const isWatch = legacyWatch || ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const verb =
      method === 'GET'
        ? isWatch
          ? 'watch'
          : name
            ? 'get'
            : 'list'
        : method === 'POST'
          ? 'create'
          : method === 'PUT'
            ? 'update'
            : method === 'PATCH'
              ? 'patch'
              : method === 'DELETE'
                ? name
                  ? 'delete'
                  : 'deletecollection'
                : method.toLowerCase();
    authorize(user, { verb, group, resource: info.plural, subresource, namespace, name });

    const request: ResourceRequest = {
      method,
      info,
      namespace,
      name,
      subresource,
      query: url.searchParams,
      accept: req.headers.accept ?? 'application/json',
      contentType,
      body,
    };
    if (verb === 'watch') {
      serveWatch(
        {
          store,
          bookmarkIntervalMs,
          onOpen: (key) => {
            stats.watches[key] = (stats.watches[key] ?? 0) + 1;
            stats.watchesTotal++;
          },
          onClose: (key) => {
            stats.watches[key] = (stats.watches[key] ?? 1) - 1;
            stats.watchesTotal--;
          },
        },
        request,
        res,
      );
      return undefined;
    }
    switch (verb) {
      case 'list':
        return listResource(ctx, request);
      case 'get':
        return getResource(ctx, request);
      case 'create':
        if (name) break;
        return createResource(ctx, request);
      case 'update':
        return updateResource(ctx, request);
      case 'patch':
        return patchResource(ctx, request, parseYaml);
      case 'delete':
        return deleteResource(ctx, request);
      default:
        break;
    }
    throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requestsTotal++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    try {
      if (path === '/version') {
        sendJson(res, 200, {
          major: '1',
          minor: '32',
          gitVersion: 'v1.32.4-burnrate-demo',
          gitCommit: '0000000',
          gitTreeState: 'clean',
          buildDate: '2026-01-01T00:00:00Z',
          goVersion: 'go1.23.8',
          compiler: 'gc',
          platform: 'linux/amd64',
        });
        return;
      }
      if (path === '/healthz' || path === '/livez' || path === '/readyz') {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      if (path === '/debug/connections') {
        sendJson(res, 200, {
          watches: Object.fromEntries(Object.entries(stats.watches).filter(([, n]) => n > 0)),
          watchesTotal: stats.watchesTotal,
          requestsTotal: stats.requestsTotal,
        });
        return;
      }
      const user = userForToken(req.headers.authorization);
      if (!user && !publicPaths.has(path)) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      const result = await route(req, res, url, user as DemoUser);
      if (result) sendJson(res, result.code, result.body);
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (error instanceof ApiError) {
        sendJson(res, error.code, statusBody(error.code, error.reason, error.message, error.details));
      } else {
        const message = error instanceof Error ? error.message : String(error);
        sendJson(res, 500, statusBody(500, 'InternalError', `Internal error occurred: ${message}`));
      }
    }
  }

  const http = createServer((req, res) => void handle(req, res));
  http.keepAliveTimeout = 65_000;
  const { server, destroyConnections } = dualProtocolServer(http, await demoCertificate());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `https://${host}:${port}`,
    httpUrl: `http://${host}:${port}`,
    port,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        destroyConnections();
      }),
  };
}
