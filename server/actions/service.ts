import 'server-only';
import { z } from 'zod';
import type { SessionUser } from '@/server/auth/session';
import type { Db } from '@/server/db/client';
import { completeAuditEntry, countChangesSince, insertAuditEntry, type AuditEntryInput } from '@/server/db/audit';
import { claimIdempotencyKey, readClaim, recordClaimOutcome } from '@/server/db/audit-claims';
import { readSetting } from '@/server/db/settings';
import { DomainError } from '@/server/errors';
import { diffWorkload } from './diff';
import { KubeCallError, KubeVerbs, type KubeObjectLike } from '@/server/kubernetes/verbs';
import { planAction, currentRegistries, type PlannedPatch } from './plan';
import {
  ALLOWED_REGISTRIES_SETTING,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  IMPERSONATE_SETTING,
  RATE_LIMIT_SETTING,
  rateLimited,
  REPLICA_BOUNDS_SETTING,
  replicaBoundsOf,
  replicaBoundsRulesSchema,
  type ReplicaBounds,
} from './policy';
import {
  targetOf,
  type ActionOutcome,
  type ActionPreview,
  type ActionRequest,
  type ApplyRequest,
  type WorkloadRef,
} from './types';

export interface ActionDeps {
  db: Db;
  kube: (cluster: string, impersonateUser?: string) => KubeVerbs;
  now: () => Date;
}

export interface ActionCaller {
  user: SessionUser;
  requestId: string;
}

export function defaultKube(cluster: string, impersonateUser?: string): KubeVerbs {
  return new KubeVerbs(cluster, impersonateUser ? { user: impersonateUser } : undefined);
}

async function settingOr<T>(db: Db, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const parsed = schema.safeParse(await readSetting(db, key));
  return parsed.success ? parsed.data : fallback;
}

export async function replicaBoundsFor(
  deps: ActionDeps,
  workload: WorkloadRef,
  current: KubeObjectLike,
): Promise<ReplicaBounds> {
  const rules = await settingOr(deps.db, REPLICA_BOUNDS_SETTING, replicaBoundsRulesSchema, []);
  return replicaBoundsOf(workload, current.metadata?.annotations, rules);
}

function auditBase(
  caller: ActionCaller,
  request: ActionRequest,
  extra: Record<string, unknown> = {},
): Omit<AuditEntryInput, 'result'> {
  const { verb, ...parameters } = request.action;
  return {
    requestId: caller.requestId,
    actor: caller.user.name,
    role: caller.user.role,
    verb,
    cluster: request.workload.cluster,
    namespace: request.workload.namespace,
    target: targetOf(request.workload),
    parameters: {
      ...parameters,
      ...(request.resourceVersion ? { resourceVersion: request.resourceVersion } : {}),
      ...extra,
    },
  };
}

interface Prepared {
  kube: KubeVerbs;
  current: KubeObjectLike;
  plan: PlannedPatch;
  resourceVersion: string;
  generation: number;
}

/** Reads the workload, applies the policy, asks Kubernetes whether the identity may, and plans the patch. */
async function prepare(deps: ActionDeps, caller: ActionCaller, request: ActionRequest): Promise<Prepared> {
  const impersonate = (await settingOr(deps.db, IMPERSONATE_SETTING, z.boolean(), false))
    ? caller.user.name
    : undefined;
  const kube = deps.kube(request.workload.cluster, impersonate);
  const current = await kube.readWorkload(request.workload);
  const generation = current.metadata?.generation ?? 0;
  if (request.generation !== undefined && request.generation !== generation) {
    throw new KubeCallError(
      'CONFLICT',
      `Someone else changed ${targetOf(request.workload)} since you looked (generation ${request.generation} → ${generation}). Reload and try again.`,
      `Kubernetes API of ${request.workload.cluster}`,
      409,
    );
  }
  const bounds = await replicaBoundsFor(deps, request.workload, current);
  const allowedRegistries = await settingOr(
    deps.db,
    ALLOWED_REGISTRIES_SETTING,
    z.array(z.string().min(1)),
    currentRegistries(current),
  );
  const replicaSets = request.action.verb === 'rollback' ? await kube.replicaSetsOf(current) : [];
  const plan = planAction(
    request.workload,
    request.action,
    current,
    { bounds, allowedRegistries, replicaSets, now: deps.now() },
    request.resourceVersion,
  );
  const review = await kube.canI({
    ...plan.access,
    namespace: request.workload.namespace,
    name: request.workload.name,
  });
  if (!review.allowed) {
    const who = impersonate ? `You (${impersonate})` : 'Burnrate’s service account';
    throw new DomainError(
      'FORBIDDEN',
      `${who} may not ${plan.access.verb} ${plan.access.resource}${plan.access.subresource ? `/${plan.access.subresource}` : ''} here: ${review.reason ?? 'denied by RBAC'}.`,
      `RBAC of ${request.workload.cluster}`,
    );
  }
  return { kube, current, plan, resourceVersion: current.metadata?.resourceVersion ?? '', generation };
}

async function dryRun(prepared: Prepared, workload: WorkloadRef): Promise<{ diff: ReturnType<typeof diffWorkload> }> {
  const { kube, current, plan } = prepared;
  if (plan.target === 'scale') {
    const answer = await kube.patchScale(workload, plan.body, true);
    return {
      diff: diffWorkload({ spec: { replicas: current.spec?.replicas } }, { spec: { replicas: answer.spec?.replicas } }),
    };
  }
  const answer = await kube.patchWorkload(workload, plan.body, true);
  return { diff: diffWorkload(current, answer) };
}

function resultOf(error: unknown): 'denied' | 'failed' {
  // Refusals (forbidden, not found, invalid) are "denied"; a conflict or an upstream fault "failed".
  if (error instanceof KubeCallError)
    return error.statusCode !== null && [400, 403, 404, 422].includes(error.statusCode) ? 'denied' : 'failed';
  return error instanceof DomainError && ['BAD_INPUT', 'FORBIDDEN', 'RATE_LIMITED', 'NOT_FOUND'].includes(error.code)
    ? 'denied'
    : 'failed';
}

async function auditRefusal(
  deps: ActionDeps,
  caller: ActionCaller,
  request: ActionRequest,
  error: unknown,
  startedMs: number,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const row = await insertAuditEntry(deps.db, {
    ...auditBase(caller, request, extra),
    result: resultOf(error),
    statusCode: error instanceof KubeCallError ? error.statusCode : null,
    durationMs: Date.now() - startedMs,
    message: error instanceof Error ? error.message : String(error),
  });
  return row.id;
}

/** The server-side dry run behind the confirm dialog. Refusals are audited; a clean preview changes nothing and is not. */
export async function previewAction(
  deps: ActionDeps,
  caller: ActionCaller,
  request: ActionRequest,
): Promise<ActionPreview> {
  const startedMs = Date.now();
  try {
    const prepared = await prepare(deps, caller, request);
    const { diff } = await dryRun(prepared, request.workload);
    return {
      workload: request.workload,
      action: request.action,
      resourceVersion: prepared.resourceVersion,
      generation: prepared.generation,
      diff,
      costImpactUsdPerHour: null,
    };
  } catch (error) {
    await auditRefusal(deps, caller, request, error, startedMs, { dryRun: true });
    throw error;
  }
}

/**
 * The change itself: idempotency key, rate limit, policy, access review, dry run, then the patch,
 * each step audited (allowed → succeeded/failed, or denied with the reason).
 */
export async function applyAction(
  deps: ActionDeps,
  caller: ActionCaller,
  request: ApplyRequest,
): Promise<ActionOutcome> {
  const startedMs = Date.now();
  const extra = { idempotencyKey: request.idempotencyKey };
  if (!(await claimIdempotencyKey(deps.db, request.idempotencyKey, caller.user.name, request.action.verb))) {
    const claim = await readClaim(deps.db, request.idempotencyKey);
    const message = claim?.outcome
      ? `Already done by the same click (audit #${claim.outcome.auditId}).`
      : 'The same click is already being carried out.';
    await insertAuditEntry(deps.db, {
      ...auditBase(caller, request, extra),
      result: 'denied',
      durationMs: Date.now() - startedMs,
      message: `Duplicate request: ${message}`,
    });
    return {
      auditId: claim?.outcome?.auditId ?? 0,
      result: claim?.outcome?.result ?? 'succeeded',
      duplicate: true,
      message,
    };
  }
  let auditId: number | undefined;
  try {
    const limit = await settingOr(
      deps.db,
      RATE_LIMIT_SETTING,
      z.number().int().positive(),
      DEFAULT_RATE_LIMIT_PER_MINUTE,
    );
    const recent = await countChangesSince(deps.db, caller.user.name, new Date(deps.now().getTime() - 60_000));
    if (rateLimited(recent, limit))
      throw new DomainError(
        'RATE_LIMITED',
        `You made ${recent} changes in the last minute (limit ${limit}); wait a moment.`,
        'rate limit',
      );
    const prepared = await prepare(deps, caller, request);
    const { diff } = await dryRun(prepared, request.workload);
    const allowed = await insertAuditEntry(deps.db, {
      ...auditBase(caller, request, extra),
      result: 'allowed',
      dryRunDiff: diff,
    });
    auditId = allowed.id;
    const answer =
      prepared.plan.target === 'scale'
        ? await prepared.kube.patchScale(request.workload, prepared.plan.body, false)
        : await prepared.kube.patchWorkload(request.workload, prepared.plan.body, false);
    const message =
      diff
        .map((change) => `${change.path}: ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`)
        .join('; ') || 'no field changed';
    await completeAuditEntry(deps.db, auditId, {
      result: 'succeeded',
      statusCode: 200,
      durationMs: Date.now() - startedMs,
      message,
    });
    await recordClaimOutcome(deps.db, request.idempotencyKey, { auditId, result: 'succeeded' });
    return {
      auditId,
      result: 'succeeded',
      duplicate: false,
      message,
      resourceVersion: answer.metadata?.resourceVersion,
    };
  } catch (error) {
    if (auditId === undefined) {
      auditId = await auditRefusal(deps, caller, request, error, startedMs, extra);
    } else {
      await completeAuditEntry(deps.db, auditId, {
        result: 'failed',
        statusCode: error instanceof KubeCallError ? error.statusCode : null,
        durationMs: Date.now() - startedMs,
        message: (error as Error).message,
      });
    }
    await recordClaimOutcome(deps.db, request.idempotencyKey, {
      auditId,
      result: 'failed',
      message: (error as Error).message,
    });
    throw error;
  }
}
