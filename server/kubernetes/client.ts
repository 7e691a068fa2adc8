import 'server-only';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { clusterContext, configuredClusters, kubeconfigFiles } from '@/server/clusters/config';
import { kubeConfigFor } from './kubeconfig';

/** No byte for this long fails a list or get (and a watch after its server-side timeout has passed). */
const REQUEST_IDLE_TIMEOUT_MS = 15_000;

/** An answer from the API server that was not 2xx, with its Status reason when it sent one. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

const listPageSize = 500;
const statusSchema = z.object({
  code: z.number().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
const listSchema = z.object({
  metadata: z.object({ resourceVersion: z.string().optional(), continue: z.string().optional() }).default({}),
  items: z.array(z.unknown()).nullish(),
});
const watchEventSchema = z.object({ type: z.string(), object: z.unknown() });

export interface KubeList {
  resourceVersion: string;
  items: unknown[];
}

export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: unknown }
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; statusCode: number; message: string };

/**
 * One cluster's API, reached with the credentials of its kubeconfig context (@kubernetes/client-node
 * resolves tokens, exec plugins, certificates and proxies). Lists and watches share one small
 * transport so that both honour the same abort signal.
 */
export class KubeClusterClient {
  readonly server: string;

  constructor(
    readonly cluster: string,
    private readonly config: KubeConfig,
    private readonly idleTimeoutMs = REQUEST_IDLE_TIMEOUT_MS,
  ) {
    this.server = config.getCurrentCluster()?.server ?? '';
  }

  async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const response = await this.request(path, signal, this.idleTimeoutMs);
    return JSON.parse(await readBody(response)) as unknown;
  }

  /** Lists in pages of `listPageSize`, as client-go's reflector does: 30,000 pods are not one answer. */
  async list(path: string, signal?: AbortSignal): Promise<KubeList> {
    const items: unknown[] = [];
    let resourceVersion: string | undefined;
    let continueToken = '';
    do {
      const query = new URLSearchParams({
        limit: String(listPageSize),
        ...(continueToken ? { continue: continueToken } : {}),
      });
      const body = listSchema.parse(
        await this.getJson(`${path}${path.includes('?') ? '&' : '?'}${query.toString()}`, signal),
      );
      for (const item of body.items ?? []) items.push(item);
      // The first page's version is the list's snapshot: the watch starts there.
      resourceVersion ??= body.metadata.resourceVersion ?? '';
      continueToken = body.metadata.continue ?? '';
    } while (continueToken);
    return { resourceVersion: resourceVersion ?? '', items };
  }

  /**
   * Streams watch events until the server ends the stream (resolves) or the connection fails
   * (rejects). `timeoutSeconds` makes the server close it now and then, as client-go does.
   */
  async watch(
    path: string,
    resourceVersion: string,
    timeoutSeconds: number,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion,
      timeoutSeconds: String(timeoutSeconds),
    });
    // Silent for longer than the server's own timeout: a half-open connection, not a quiet watch.
    const response = await this.request(
      `${path}?${query.toString()}`,
      signal,
      timeoutSeconds * 1000 + this.idleTimeoutMs,
    );
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: response, crlfDelay: Infinity });
      let failed = false;
      const fail = (error: Error): void => {
        failed = true;
        lines.close();
        reject(error);
      };
      response.on('aborted', () => fail(new Error('watch connection lost')));
      response.on('error', (error) => fail(error));
      lines.on('line', (line) => {
        if (!line.trim()) return;
        const parsed = watchEventSchema.safeParse(safeJson(line));
        if (parsed.success) onEvent(toWatchEvent(parsed.data));
      });
      lines.on('close', () => {
        if (!failed) resolve();
      });
    });
  }

  /**
   * `idleTimeoutMs`: no byte for that long (no answer yet, or a stream gone quiet) fails the
   * request. Without it a request sent while an API server restarts could wait forever, and the
   * watch loop with it: a page showed "reconnecting" long after the API was back.
   */
  private async request(
    path: string,
    signal: AbortSignal | undefined,
    idleTimeoutMs: number,
  ): Promise<IncomingMessage> {
    const url = new URL(this.server + path);
    const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    await this.config.applyToHTTPSOptions(options);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, { ...options, signal }, (response) => {
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 300) {
          resolve(response);
          return;
        }
        void readBody(response).then((text) => {
          const status = statusSchema.safeParse(safeJson(text));
          const message = status.success && status.data.message ? status.data.message : `HTTP ${code}`;
          reject(new KubeApiError(code, message, status.success ? status.data.reason : undefined));
        }, reject);
      });
      req.setTimeout(idleTimeoutMs, () =>
        req.destroy(new Error(`no answer from ${this.server} within ${Math.round(idleTimeoutMs / 1000)} s`)),
      );
      req.on('error', reject);
      req.end();
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

const bookmarkSchema = z.object({ metadata: z.object({ resourceVersion: z.string().optional() }).default({}) });

function toWatchEvent(event: { type: string; object: unknown }): WatchEvent {
  if (event.type === 'BOOKMARK') {
    const parsed = bookmarkSchema.safeParse(event.object);
    return { type: 'BOOKMARK', resourceVersion: parsed.success ? (parsed.data.metadata.resourceVersion ?? '') : '' };
  }
  if (event.type === 'ERROR') {
    const status = statusSchema.safeParse(event.object);
    return {
      type: 'ERROR',
      statusCode: status.success ? (status.data.code ?? 500) : 500,
      message: status.success ? (status.data.message ?? 'watch error') : 'watch error',
    };
  }
  if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED')
    return { type: event.type, object: event.object };
  return { type: 'ERROR', statusCode: 500, message: `unknown watch event type ${event.type}` };
}

/**
 * The credentials of a configured cluster (its kubeconfig context), shared by its watches and its
 * verbs; the reason when it has none.
 */
export function kubeConfigOfCluster(cluster: string): KubeConfig | Error {
  const context = clusterContext(cluster);
  if (context === undefined) return new Error(`No cluster named "${cluster}" is configured.`);
  try {
    return kubeConfigFor(context, kubeconfigFiles());
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The client of one kubeconfig context; `kubeconfigPath` instead of the configured files (tests, bench). */
export function clusterClient(context: string, kubeconfigPath: string): KubeClusterClient {
  return new KubeClusterClient(context, kubeConfigFor(context, [kubeconfigPath]));
}

/** One client per configured cluster. A cluster whose context cannot be loaded gives its error. */
export function createClusterClients(): Map<string, KubeClusterClient | Error> {
  const clients = new Map<string, KubeClusterClient | Error>();
  for (const { name } of configuredClusters()) {
    const config = kubeConfigOfCluster(name);
    clients.set(name, config instanceof Error ? config : new KubeClusterClient(name, config));
  }
  return clients;
}
