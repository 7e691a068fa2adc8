// Watch streams: newline-delimited JSON events, resumable from a resourceVersion within the
// store's history window, 410 Expired (as an ERROR event) beyond it, and periodic BOOKMARKs.
import type { ServerResponse } from 'node:http';
import { includeObjectOf, type ResourceRequest, selectorPredicate, wantsTable } from './api.ts';
import { apiVersionOf } from './resources.ts';
import { statusBody } from './status.ts';
import type { KubeObject, KubeStore, StoreEvent } from './store.ts';
import { toTable } from './tables.ts';

export interface WatchOptions {
  store: KubeStore;
  bookmarkIntervalMs: number;
  onOpen: (resource: string) => void;
  onClose: (resource: string) => void;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export function serveWatch(opts: WatchOptions, req: ResourceRequest, res: ServerResponse): void {
  const { store } = opts;
  const { info } = req;
  const matches = selectorPredicate(req.query, req.namespace);
  const table = wantsTable(req.accept);
  const includeObject = includeObjectOf(req.query);
  let sentColumns = false;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  const send = (type: EventType, obj: KubeObject | object): void => {
    if (res.writableEnded || res.destroyed) return;
    let object: unknown = obj;
    if ((type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') && table) {
      const typed = { ...(obj as KubeObject), apiVersion: apiVersionOf(info), kind: info.kind };
      object = toTable(info, [typed], store.now(), {
        includeObject,
        resourceVersion: typed.metadata.resourceVersion ?? '',
        withColumns: !sentColumns,
      });
      sentColumns = true;
    } else if (type !== 'BOOKMARK' && type !== 'ERROR') {
      object = { ...(obj as KubeObject), apiVersion: apiVersionOf(info), kind: info.kind };
    }
    res.write(`${JSON.stringify({ type, object })}\n`);
  };

  const bookmark = (annotations?: Record<string, string>): void => {
    send('BOOKMARK', {
      kind: info.kind,
      apiVersion: apiVersionOf(info),
      metadata: { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) },
    });
  };

  const forward = (event: StoreEvent): void => {
    if (event.resource !== info.key) return;
    const now = matches(event.object);
    const before = event.oldObject ? matches(event.oldObject) : false;
    if (event.type === 'MODIFIED') {
      if (now && before) send('MODIFIED', event.object);
      else if (now) send('ADDED', event.object);
      else if (before) send('DELETED', event.object);
    } else if (now) {
      send(event.type, event.object);
    }
  };

  const rvParam = req.query.get('resourceVersion') ?? '';
  const sendInitial = req.query.get('sendInitialEvents') === 'true';
  if (rvParam === '' || rvParam === '0' || sendInitial) {
    for (const obj of store.list(info.key, req.namespace).filter(matches)) send('ADDED', obj);
    if (sendInitial) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const since = Number(rvParam);
    const history = Number.isFinite(since) ? store.eventsSince(since) : 'expired';
    if (history === 'expired') {
      send(
        'ERROR',
        statusBody(410, 'Expired', `too old resource version: ${rvParam} (${store.oldestResumableVersion})`),
      );
      res.end();
      return;
    }
    for (const event of history) forward(event);
  }

  const unsubscribe = store.subscribe(forward);
  opts.onOpen(info.key);
  const timers: NodeJS.Timeout[] = [];
  if (req.query.get('allowWatchBookmarks') === 'true')
    timers.push(setInterval(() => bookmark(), opts.bookmarkIntervalMs));
  const timeoutSeconds = Number(req.query.get('timeoutSeconds') ?? '0');
  if (timeoutSeconds > 0) timers.push(setTimeout(() => res.end(), timeoutSeconds * 1000));

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    opts.onClose(info.key);
    if (!res.writableEnded) res.end();
  };
  res.on('close', close);
  res.on('finish', close);
  res.on('error', close);
}
