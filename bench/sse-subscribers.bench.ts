// 200 browsers' worth of SSE subscribers on one app process while a demo deployment is scaled up
// and down: latency from the change in the Kubernetes API to the event at each subscriber, the
// app's resident memory, and the number of upstream watches it holds for all of them.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startKubeCluster, writeKubeconfig } from '../demo/kube/index';
import pg from 'pg';
import { clusters } from '../demo/topology';
import { percentile, startBenchApp } from './lib/app-server';
import { freePort } from '../scripts/lib/ports';
import type { BenchRow } from './types';

const POSTGRES_ADMIN_URL = process.env.BURNRATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SUBSCRIBERS = 200;
const SCALE_CHANGES = 20;
const CHANGE_INTERVAL_MS = 1500;
const LATENCY_GOAL_MS = 500;
/** The issue's 600 MB, in SI megabytes (572 MiB). */
const RSS_GOAL_BYTES = 600e6;

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

interface Subscriber {
  done: Promise<void>;
}

/**
 * One SSE subscription as httpSubscriptionLink opens it (GET, superjson input), parsed by hand;
 * `onReplicas` gets the desired replicas of `reranker` whenever a message carries that Deployment.
 */
function subscribe(
  appUrl: string,
  signal: AbortSignal,
  onReplicas: (replicas: number) => void,
  onError: (message: string) => void,
): Subscriber {
  const input = { json: { cluster: 'all', kinds: ['Deployment', 'ReplicaSet', 'Pod'] } };
  const url = `${appUrl}/api/trpc/workloads.live?input=${encodeURIComponent(JSON.stringify(input))}`;
  const done = (async () => {
    const response = await fetch(url, { signal, headers: { accept: 'text/event-stream' } });
    if (!response.ok || !response.body) throw new Error(`subscription: HTTP ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const data = event.split('\n').find((l) => l.startsWith('data: '));
        if (!data || !data.includes('reranker')) continue;
        // superjson wraps the event's data, which is the LiveMessage as JSON text.
        const text = (JSON.parse(data.slice(6)) as { json: string }).json;
        const message = JSON.parse(text) as {
          type: string;
          changes?: { op: string; object?: { kind: string; name: string; desiredReplicas?: number } }[];
          objects?: { kind: string; name: string; desiredReplicas?: number }[];
        };
        const objects =
          message.type === 'changes'
            ? (message.changes ?? []).flatMap((c) => (c.object ? [c.object] : []))
            : (message.objects ?? []);
        for (const o of objects)
          if (o.kind === 'Deployment' && o.name === 'reranker' && o.desiredReplicas !== undefined)
            onReplicas(o.desiredReplicas);
      }
    }
  })().catch((error: unknown) => {
    if (!signal.aborted) onError(error instanceof Error ? `${error.message} (${String(error.cause)})` : String(error));
  });
  return { done };
}

interface RunFigures {
  latenciesMs: number[];
  expected: number;
  idleRss: number;
  peakRss: number;
  watches: Record<string, number>;
}

/** One app process with `databaseEnv`, 200 subscribers, 20 scale changes of reranker. */
async function measure(
  kubeconfigPath: string,
  kube: Awaited<ReturnType<typeof startKubeCluster>>,
  databaseEnv: Record<string, string>,
): Promise<RunFigures> {
  const app = await startBenchApp(await freePort(), { KUBECONFIG: kubeconfigPath, ...databaseEnv });
  const abort = new AbortController();
  try {
    const idleRss = rssBytes(app.pid);
    let target = 1;
    let changedAtMs = 0;
    const seen = new Set<number>();
    const latenciesMs: number[] = [];
    let synced = 0;
    const errors: string[] = [];
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) =>
      subscribe(
        app.url,
        abort.signal,
        (replicas) => {
          if (changedAtMs === 0) {
            if (!seen.has(i)) {
              seen.add(i);
              synced += 1;
            }
            return;
          }
          if (replicas === target && !seen.has(i)) {
            seen.add(i);
            latenciesMs.push(performance.now() - changedAtMs);
          }
        },
        (message) => errors.push(message),
      ),
    );
    const deadline = Date.now() + 60_000;
    while (synced < SUBSCRIBERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (synced < SUBSCRIBERS)
      throw new Error(
        `only ${synced} of ${SUBSCRIBERS} subscribers got their snapshot; errors: ${errors.slice(0, 3).join('; ')}`,
      );

    let peakRss = rssBytes(app.pid);
    for (let i = 0; i < SCALE_CHANGES; i += 1) {
      target = i % 2 === 0 ? 3 : 1;
      seen.clear();
      const current = kube.store.get('deployments.apps', 'search', 'reranker')!;
      changedAtMs = performance.now();
      kube.store.update('deployments.apps', { ...current, spec: { ...current.spec, replicas: target } });
      kube.reconcile();
      await new Promise((r) => setTimeout(r, CHANGE_INTERVAL_MS));
      peakRss = Math.max(peakRss, rssBytes(app.pid));
    }
    // The API's open watches while this app serves every subscriber (read on the first run only,
    // before a stopped app's connections could still be closing).
    const watches = kube.stats().watches;
    abort.abort();
    await Promise.allSettled(subscribers.map((s) => s.done));
    if (errors.length > 0) throw new Error(`${errors.length} subscriptions failed, first: ${errors[0]}`);
    return {
      latenciesMs: latenciesMs.sort((a, b) => a - b),
      expected: SUBSCRIBERS * SCALE_CHANGES,
      idleRss,
      peakRss,
      watches,
    };
  } finally {
    abort.abort();
    await app.stop();
  }
}

function rssRow(label: string, figures: RunFigures): BenchRow {
  return {
    name: `app RSS on ${label}, peak during the run (${SUBSCRIBERS} subscribers; ${(figures.idleRss / 1e6).toFixed(0)} MB before they connected)`,
    ours: figures.peakRss / 1e6,
    reference: RSS_GOAL_BYTES / 1e6,
    unit: 'MB',
    ratio: figures.peakRss / RSS_GOAL_BYTES,
    goal: '≤ 1',
    pass: figures.peakRss <= RSS_GOAL_BYTES,
  };
}

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'burnrate-bench-kube-'));
  const spec = clusters[0]!;
  const kube = await startKubeCluster(spec, { port: 0, seed: 42 });
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, [{ name: spec.name, url: kube.url }]);
  const database = `burnrate_bench_sse_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${database}`);
    const databaseUrl = new URL(POSTGRES_ADMIN_URL);
    databaseUrl.pathname = `/${database}`;
    // A deployment's configuration (Postgres) and the embedded default (PGlite in the app process).
    const postgres = await measure(kubeconfigPath, kube, { DATABASE_URL: databaseUrl.toString() });
    const pglite = await measure(kubeconfigPath, kube, {});
    const sorted = postgres.latenciesMs;
    const p95 = percentile(sorted, 95);
    const maxWatchesPerKind = Math.max(...Object.values(postgres.watches));
    return [
      {
        name: `change → SSE event p95, ${SUBSCRIBERS} subscribers × ${SCALE_CHANGES} scales (${sorted.length}/${postgres.expected} received, p50 ${percentile(sorted, 50).toFixed(0)} ms)`,
        ours: p95,
        reference: LATENCY_GOAL_MS,
        unit: 'ms',
        ratio: p95 / LATENCY_GOAL_MS,
        goal: '≤ 1',
        pass: p95 <= LATENCY_GOAL_MS && sorted.length === postgres.expected,
      },
      rssRow('Postgres', postgres),
      rssRow('embedded PGlite (its Postgres runs in the app process)', pglite),
      {
        name: `upstream watches per kind for ${SUBSCRIBERS} subscribers (${Object.entries(postgres.watches)
          .map(([k, n]) => `${k}=${n}`)
          .join(' ')})`,
        ours: maxWatchesPerKind,
        reference: 1,
        unit: 'watches',
        ratio: maxWatchesPerKind,
        goal: '= 1',
        pass: maxWatchesPerKind === 1,
      },
    ];
  } finally {
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
    await admin.end();
    await kube.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
