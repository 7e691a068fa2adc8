// Actions against the demo Kubernetes API (a real HTTP API server with RBAC, dry run and
// resourceVersion preconditions) and a real PGlite database: every refusal is audited and
// leaves the cluster as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKubeCluster, writeKubeconfig, type KubeCluster } from '@/demo/kube/index';
import { clusters } from '@/demo/topology';
import type { SessionUser } from '@/server/auth/session';
import { listAuditEntries } from '@/server/db/audit';
import { writeSetting } from '@/server/db/settings';
import { createTestDatabase, type TestDatabase } from '@/server/db/testing';
import { DomainError } from '@/server/errors';
import { REPLICA_BOUNDS_SETTING, ALLOWED_REGISTRIES_SETTING } from './policy';
import { applyAction, defaultKube, previewAction, type ActionDeps } from './service';
import type { ApplyRequest, WorkloadRef } from './types';

const spec = clusters[0]!;
const chat: WorkloadRef = { cluster: spec.name, namespace: 'llm-serving', kind: 'Deployment', name: 'chat-llm' };
const operator: SessionUser = {
  id: 'demo:demo-operator',
  name: 'demo-operator',
  role: 'operator',
  provider: 'demo',
  groups: [],
};

let kube: KubeCluster;
let database: TestDatabase;
let tmp: string;
let deps: ActionDeps;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'burnrate-actions-'));
  kube = await startKubeCluster(spec, { port: 0, seed: 42, tickMs: 60_000 });
  const kubeconfig = path.join(tmp, 'kubeconfig');
  await writeKubeconfig(kubeconfig, [{ name: spec.name, url: kube.url }]);
  process.env.KUBECONFIG = kubeconfig;
  database = await createTestDatabase('pglite');
  deps = { db: database.db, kube: defaultKube, now: () => new Date() };
});

afterAll(async () => {
  await kube?.stop();
  await database?.destroy();
  rmSync(tmp, { recursive: true, force: true });
  process.env.KUBECONFIG = savedKubeconfig;
});

/** The spec as kubectl would show it; the controllers keep moving resourceVersion with status updates. */
function chatDeployment(): { replicas: number; generation: number; image: string } {
  const obj = kube.store.get('deployments.apps', chat.namespace, chat.name)!;
  return {
    replicas: obj.spec.replicas as number,
    generation: obj.metadata.generation!,
    image: obj.spec.template.spec.containers[0].image as string,
  };
}

function resourceVersionNow(): string {
  return kube.store.get('deployments.apps', chat.namespace, chat.name)!.metadata.resourceVersion!;
}

function request(action: ApplyRequest['action'], extra: Partial<ApplyRequest> = {}): ApplyRequest {
  return { workload: chat, action, idempotencyKey: crypto.randomUUID(), ...extra };
}

const caller = (requestId: string): { user: SessionUser; requestId: string } => ({ user: operator, requestId });

async function lastAudit(): Promise<Awaited<ReturnType<typeof listAuditEntries>>[number]> {
  const [entry] = await listAuditEntries(database.db, { limit: 1 });
  return entry!;
}

describe('actions on the demo cluster', () => {
  beforeEach(async () => {
    await writeSetting(database.db, REPLICA_BOUNDS_SETTING, [], 'test');
  });

  it('previews a scale by server-side dry run without changing anything', async () => {
    const before = chatDeployment();
    const preview = await previewAction(
      deps,
      caller('req-preview'),
      request({ verb: 'scale', replicas: before.replicas + 1 }),
    );
    expect(preview.diff).toEqual([{ path: 'spec.replicas', before: before.replicas, after: before.replicas + 1 }]);
    expect(preview.generation).toBe(before.generation);
    expect(preview.costImpactUsdPerHour).toBeNull();
    expect(chatDeployment()).toEqual(before);
  });

  it('scales once for two requests with the same idempotency key, and audits both', async () => {
    const before = chatDeployment();
    const once = request({ verb: 'scale', replicas: before.replicas + 1 }, { generation: before.generation });
    const [first, second] = await Promise.all([
      applyAction(deps, caller('req-a'), once),
      applyAction(deps, caller('req-b'), once),
    ]);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    expect(chatDeployment().replicas).toBe(before.replicas + 1);
    const entries = await listAuditEntries(database.db, { limit: 2 });
    expect(entries.map((e) => e.result).sort()).toEqual(['denied', 'succeeded']);
    const succeeded = entries.find((e) => e.result === 'succeeded')!;
    expect(succeeded).toMatchObject({
      actor: 'demo-operator',
      role: 'operator',
      verb: 'scale',
      cluster: spec.name,
      namespace: 'llm-serving',
      target: 'deployment/chat-llm',
      statusCode: 200,
    });
    expect(succeeded.dryRunDiff).toEqual([
      { path: 'spec.replicas', before: before.replicas, after: before.replicas + 1 },
    ]);
    expect(succeeded.durationMs).toBeGreaterThanOrEqual(0);
  });

  const refusals: {
    name: string;
    action: ApplyRequest['action'];
    code: string;
    message: RegExp;
    setup?: () => Promise<void>;
  }[] = [
    {
      name: 'replicas above the default bound 20',
      action: { verb: 'scale', replicas: 21 },
      code: 'BAD_INPUT',
      message: /outside the allowed 0…20/,
    },
    {
      name: 'negative replicas',
      action: { verb: 'scale', replicas: -1 },
      code: 'BAD_INPUT',
      message: /cannot be negative/,
    },
    {
      name: 'non-integer replicas',
      action: { verb: 'scale', replicas: 2.5 },
      code: 'BAD_INPUT',
      message: /whole number/,
    },
    {
      name: 'replicas above a settings rule',
      action: { verb: 'scale', replicas: 5 },
      code: 'BAD_INPUT',
      message: /outside the allowed 1…4 \(from a settings rule\)/,
      setup: () =>
        writeSetting(database.db, REPLICA_BOUNDS_SETTING, [{ ...chat, minReplicas: 1, maxReplicas: 4 }], 'test'),
    },
    {
      name: 'an image from a registry not allowed',
      action: { verb: 'set-image', container: 'vllm', image: 'evil.example.com/miner:1.0' },
      code: 'BAD_INPUT',
      message: /evil\.example\.com are not allowed/,
    },
  ];

  for (const refusal of refusals) {
    it(`refuses ${refusal.name}, audits it as denied and changes nothing`, async () => {
      await refusal.setup?.();
      const before = chatDeployment();
      const error = await applyAction(deps, caller(`req-${refusal.name}`), request(refusal.action)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(refusal.code);
      expect((error as DomainError).message).toMatch(refusal.message);
      expect(chatDeployment()).toEqual(before);
      expect(await lastAudit()).toMatchObject({
        requestId: `req-${refusal.name}`,
        result: 'denied',
        verb: refusal.action.verb,
      });
    });
  }

  it('refuses an unknown workload', async () => {
    const error = await applyAction(deps, caller('req-unknown'), {
      ...request({ verb: 'scale', replicas: 1 }),
      workload: { ...chat, name: 'no-such-thing' },
    }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('NOT_FOUND');
    expect(await lastAudit()).toMatchObject({
      requestId: 'req-unknown',
      result: 'denied',
      target: 'deployment/no-such-thing',
      statusCode: 404,
    });
  });

  it('refuses a change made against a stale resourceVersion (409) and keeps the other change', async () => {
    const seenVersion = resourceVersionNow();
    await applyAction(deps, caller('req-other'), request({ verb: 'scale', replicas: 2 }));
    const afterOther = chatDeployment();
    const error = await applyAction(
      deps,
      caller('req-stale'),
      request({ verb: 'scale', replicas: 3 }, { resourceVersion: seenVersion }),
    ).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('CONFLICT');
    expect((error as DomainError).message).toMatch(/Someone else changed it/);
    expect(chatDeployment()).toEqual(afterOther);
    expect(await lastAudit()).toMatchObject({ requestId: 'req-stale', result: 'failed', statusCode: 409 });
  });

  it('refuses a change when the spec generation moved on since the preview', async () => {
    const seen = chatDeployment();
    await applyAction(deps, caller('req-other-2'), request({ verb: 'scale', replicas: seen.replicas === 3 ? 4 : 3 }));
    const afterOther = chatDeployment();
    const error = await applyAction(
      deps,
      caller('req-stale-generation'),
      request({ verb: 'scale', replicas: 1 }, { generation: seen.generation }),
    ).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('CONFLICT');
    expect(chatDeployment()).toEqual(afterOther);
    expect(await lastAudit()).toMatchObject({ requestId: 'req-stale-generation', result: 'failed', statusCode: 409 });
  });

  it('deploys an allowed image, then rolls back to the previous revision', async () => {
    await writeSetting(database.db, ALLOWED_REGISTRIES_SETTING, ['registry.burnrate.dev'], 'test');
    const before = chatDeployment();
    const next = before.image.replace(/:[^:]+$/, ':v9.9.9');
    const container = kube.store.get('deployments.apps', chat.namespace, chat.name)!.spec.template.spec.containers[0]
      .name as string;
    await applyAction(deps, caller('req-image'), request({ verb: 'set-image', container, image: next }));
    expect(chatDeployment().image).toBe(next);
    kube.reconcile();
    const revisions = kube.store
      .list('replicasets.apps', chat.namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((o: { name: string }) => o.name === chat.name))
      .map((rs) => ({
        revision: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision']),
        image: rs.spec.template.spec.containers[0].image as string,
      }));
    const previous = revisions.find((r) => r.image === before.image)!;
    await applyAction(deps, caller('req-rollback'), request({ verb: 'rollback', revision: previous.revision }));
    expect(chatDeployment().image).toBe(before.image);
  });

  it('restarts with the restartedAt annotation and pauses the rollout', async () => {
    await applyAction(deps, caller('req-restart'), request({ verb: 'restart' }));
    const annotations = kube.store.get('deployments.apps', chat.namespace, chat.name)!.spec.template.metadata
      .annotations as Record<string, string>;
    expect(annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    await applyAction(deps, caller('req-pause'), request({ verb: 'pause' }));
    expect(kube.store.get('deployments.apps', chat.namespace, chat.name)!.spec.paused).toBe(true);
    await applyAction(deps, caller('req-resume'), request({ verb: 'resume' }));
    expect(kube.store.get('deployments.apps', chat.namespace, chat.name)!.spec.paused).toBe(false);
  });
});
