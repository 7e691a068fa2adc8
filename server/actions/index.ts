import 'server-only';
import { z } from 'zod';
import { getDatabase } from '@/server/db/client';
import { insertAuditEntry } from '@/server/db/audit';
import { readSetting, writeSetting } from '@/server/db/settings';
import { defaultKube, type ActionCaller, type ActionDeps } from './service';
import {
  IMPERSONATE_SETTING,
  REPLICA_BOUNDS_SETTING,
  replicaBoundsRulesSchema,
  withReplicaBoundsRule,
  type ReplicaBoundsRule,
} from './policy';
import { targetOf } from './types';

export async function defaultActionDeps(): Promise<ActionDeps> {
  const { db } = await getDatabase();
  return { db, kube: defaultKube, now: () => new Date() };
}

export async function impersonationEnabled(deps: ActionDeps): Promise<boolean> {
  return z
    .boolean()
    .catch(false)
    .parse(await readSetting(deps.db, IMPERSONATE_SETTING));
}

/** An admin sets the replica bounds of one workload (a settings rule, which wins over annotations); audited. */
export async function setReplicaBounds(deps: ActionDeps, caller: ActionCaller, rule: ReplicaBoundsRule): Promise<void> {
  const startedMs = Date.now();
  const rules = replicaBoundsRulesSchema.catch([]).parse(await readSetting(deps.db, REPLICA_BOUNDS_SETTING));
  const before = rules.find(
    (r) => r.cluster === rule.cluster && r.namespace === rule.namespace && r.kind === rule.kind && r.name === rule.name,
  );
  await writeSetting(deps.db, REPLICA_BOUNDS_SETTING, withReplicaBoundsRule(rules, rule), caller.user.name);
  await insertAuditEntry(deps.db, {
    requestId: caller.requestId,
    actor: caller.user.name,
    role: caller.user.role,
    verb: 'set-replica-bounds',
    cluster: rule.cluster,
    namespace: rule.namespace,
    target: targetOf(rule),
    parameters: { minReplicas: rule.minReplicas, maxReplicas: rule.maxReplicas },
    dryRunDiff: [
      { path: 'replicaBounds.minReplicas', before: before?.minReplicas ?? null, after: rule.minReplicas },
      { path: 'replicaBounds.maxReplicas', before: before?.maxReplicas ?? null, after: rule.maxReplicas },
    ],
    result: 'succeeded',
    durationMs: Date.now() - startedMs,
    message: `replica bounds ${rule.minReplicas}…${rule.maxReplicas}`,
  });
}
