import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ClusterName } from '../topology.ts';
import { renderTextFormat, textFormatContentType } from './exposition.ts';
import type { LiveSimulation, ScenarioSwitch } from './live.ts';
import { exporterNames, type ExporterName } from './samples.ts';
import { scenarioSchema } from './scenario.ts';

export interface RunningServer {
  port: number;
  close: () => Promise<void>;
}

const metricsPath = /^\/clusters\/([^/]+)\/([^/]+)\/metrics$/;

/** All exporters of all clusters on one port: GET /clusters/<cluster>/<exporter>/metrics. */
export function startExportersServer(live: LiveSimulation, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const match = req.method === 'GET' ? metricsPath.exec(new URL(req.url ?? '/', 'http://x').pathname) : null;
    const cluster = match?.[1];
    const exporter = match?.[2];
    const known = (exporterNames as readonly string[]).includes(exporter ?? '');
    if (!match || !known) return send(res, 404, 'text/plain', 'not found\n');
    if (!live.started) return send(res, 503, 'text/plain', 'history is being written\n');
    const samples = live.samples(cluster as ClusterName);
    if (!samples) return send(res, 404, 'text/plain', 'not found\n');
    send(res, 200, textFormatContentType, renderTextFormat(samples, exporter as ExporterName));
  });
  return listen(server, port, host);
}

const scenarioRequest = z.object({ name: scenarioSchema });
const apiServerRequest = z.object({ up: z.boolean() });
const scaleRequest = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  replicas: z.number().int().min(0).max(100),
});
const clusterPath = /^\/clusters\/([^/]+)\/(api-server|scale)$/;

/** What the control server may do to a demo cluster's Kubernetes API. */
export interface ControlledCluster {
  setApiServerUp(up: boolean): Promise<void>;
  /** Writes the Deployment's replicas into the store directly: a change another API server replica served. */
  scaleInStore(namespace: string, name: string, replicas: number): boolean;
}

async function jsonBody<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<T | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readBody(req));
  } catch {
    sendJson(res, 400, { error: 'body is not JSON' });
    return undefined;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    sendJson(res, 400, {
      error: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    });
    return undefined;
  }
  return result.data;
}

/**
 * Control for e2e tests and demos: GET /healthz; GET and POST /scenario {"name": "spike"};
 * POST /clusters/<name>/api-server {"up": false} to stop that cluster's API server (true to start
 * it again on its port); POST /clusters/<name>/scale {"namespace", "name", "replicas"} to change a
 * Deployment behind the API's back, as another API server replica would while this one is down.
 */
export function startControlServer(
  scenarios: ScenarioSwitch,
  port: number,
  host = '127.0.0.1',
  clusterControls: ReadonlyMap<string, ControlledCluster> = new Map(),
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/scenario') return sendJson(res, 200, scenarios.current());
    if (req.method === 'POST' && path === '/scenario') {
      void jsonBody(req, res, scenarioRequest).then((body) => body && sendJson(res, 200, scenarios.set(body.name)));
      return;
    }
    const match = req.method === 'POST' ? clusterPath.exec(path) : null;
    const cluster = match ? clusterControls.get(match[1]!) : undefined;
    if (match && !cluster) return sendJson(res, 404, { error: `no demo cluster ${match[1]}` });
    if (cluster && match?.[2] === 'api-server') {
      void jsonBody(req, res, apiServerRequest)
        .then(async (body) => {
          if (!body) return;
          await cluster.setApiServerUp(body.up);
          sendJson(res, 200, { cluster: match[1], apiServer: body.up ? 'up' : 'down' });
        })
        .catch((error: unknown) => sendJson(res, 500, { error: String(error) }));
      return;
    }
    if (cluster && match?.[2] === 'scale') {
      void jsonBody(req, res, scaleRequest).then((body) => {
        if (!body) return;
        if (!cluster.scaleInStore(body.namespace, body.name, body.replicas))
          return sendJson(res, 404, { error: `no Deployment ${body.namespace}/${body.name}` });
        sendJson(res, 200, body);
      });
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  });
  return listen(server, port, host);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) req.destroy();
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

function listen(server: Server, port: number, host: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
