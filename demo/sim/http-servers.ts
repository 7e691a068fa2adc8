import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { clusters, type ClusterName } from '../topology.ts';
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
    const known = clusters.some((c) => c.name === cluster) && (exporterNames as readonly string[]).includes(exporter ?? '');
    if (!match || !known) return send(res, 404, 'text/plain', 'not found\n');
    if (!live.started) return send(res, 503, 'text/plain', 'history is being written\n');
    const samples = live.samples(cluster as ClusterName);
    if (!samples) return send(res, 404, 'text/plain', 'not found\n');
    send(res, 200, textFormatContentType, renderTextFormat(samples, exporter as ExporterName));
  });
  return listen(server, port, host);
}

const scenarioRequest = z.object({ name: scenarioSchema });

/** Control for e2e tests: GET /healthz, GET /scenario, POST /scenario {"name": "spike"}. */
export function startControlServer(scenarios: ScenarioSwitch, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/scenario') return sendJson(res, 200, scenarios.current());
    if (req.method === 'POST' && path === '/scenario') {
      void readBody(req).then((body) => {
        let parsed: unknown;
        try { parsed = JSON.parse(body); } catch { return sendJson(res, 400, { error: 'body is not JSON' }); }
        const result = scenarioRequest.safeParse(parsed);
        if (!result.success) return sendJson(res, 400, { error: `name must be one of ${scenarioSchema.options.join(', ')}` });
        sendJson(res, 200, scenarios.set(result.data.name));
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
    req.on('data', (chunk: string) => { body += chunk; if (body.length > 10_000) req.destroy(); });
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
        close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
