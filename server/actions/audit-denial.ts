import 'server-only';
import { getDatabase } from '@/server/db/client';
import { insertAuditEntry } from '@/server/db/audit';
import type { RoleDenialHook } from '@/server/trpc/init';
import { actionRequestSchema, targetOf } from './types';

/** A call refused by the role check still leaves its trace: who tried what, on which workload. */
export const auditRoleDenial: RoleDenialHook = async ({ ctx, path, rawInput, message }) => {
  const parsed = actionRequestSchema.safeParse(rawInput);
  const { db } = await getDatabase();
  const verb = parsed.success ? parsed.data.action.verb : path;
  const parameters: Record<string, unknown> = parsed.success ? { ...parsed.data.action } : {};
  delete parameters.verb;
  await insertAuditEntry(db, {
    requestId: ctx.requestId,
    actor: ctx.user?.name ?? 'anonymous',
    role: ctx.user?.role ?? 'none',
    verb,
    cluster: parsed.success ? parsed.data.workload.cluster : null,
    namespace: parsed.success ? parsed.data.workload.namespace : null,
    target: parsed.success ? targetOf(parsed.data.workload) : null,
    parameters: { ...parameters, procedure: path },
    result: 'denied',
    statusCode: 403,
    durationMs: 0,
    message,
  });
};
