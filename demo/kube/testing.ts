// Helpers for the demo/kube tests: a cluster on a free port with a fast clock, a kubeconfig in
// a temp dir, and kubectl runs against it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ClusterSpec, clusters } from '../topology.ts';
import { type KubeCluster, type KubeClusterOptions, startKubeCluster, writeKubeconfig } from './index.ts';

export interface TestCluster {
  cluster: KubeCluster;
  kubeconfig: string;
  kubectl(
    args: string[],
    options?: { allowFailure?: boolean },
  ): Promise<{ stdout: string; stderr: string; code: number }>;
  close(): Promise<void>;
}

/** The topology's cluster with startup times cut to a few simulated seconds. */
export function fastSpec(name: ClusterSpec['name']): ClusterSpec {
  const spec = structuredClone(clusters.find((c) => c.name === name));
  if (!spec) throw new Error(`no cluster ${name}`);
  for (const w of spec.serving) w.startupSeconds = 4;
  return spec;
}

/** A clock that runs `speed` times faster than wall time from a fixed start. */
export function fastClock(startMs: number, speed: number): () => number {
  const t0 = Date.now();
  return () => startMs + (Date.now() - t0) * speed;
}

export async function startTestCluster(
  spec: ClusterSpec,
  options: Partial<KubeClusterOptions> = {},
): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'burnrate-kube-test-'));
  const cluster = await startKubeCluster(spec, {
    port: 0,
    seed: 7,
    tickMs: 100,
    now: fastClock(Date.UTC(2026, 10, 24, 10, 0, 0), 10),
    ...options,
  });
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, [cluster]);
  return {
    cluster,
    kubeconfig,
    kubectl: async (args, opts = {}) => {
      try {
        const { stdout, stderr } = await promisify(execFile)('/usr/bin/kubectl', args, {
          env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
          timeout: 30_000,
        });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; code?: number };
        if (!opts.allowFailure) throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr ?? String(error)}`);
        return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
      }
    },
    close: async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or the attempts run out. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  attempts = 100,
  intervalMs = 100,
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('condition not met in time');
}
