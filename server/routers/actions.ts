import 'server-only';
import { defaultActionDeps, impersonationEnabled, setReplicaBounds } from '@/server/actions';
import { auditRoleDenial } from '@/server/actions/audit-denial';
import { replicaBoundsRuleSchema } from '@/server/actions/policy';
import { applyAction, previewAction } from '@/server/actions/service';
import { applyRequestSchema, actionRequestSchema, workloadRefSchema } from '@/server/actions/types';
import { actionCapabilities, workloadState } from '@/server/actions/workload-state';
import { createTRPCRouter, publicProcedure, requireRole, viewerProcedure } from '@/server/trpc/init';

const operatorAction = publicProcedure.use(requireRole('operator', auditRoleDenial));
const adminAction = publicProcedure.use(requireRole('admin', auditRoleDenial));

export const actionsRouter = createTRPCRouter({
  state: viewerProcedure
    .input(workloadRefSchema)
    .query(async ({ input }) => workloadState(await defaultActionDeps(), input)),
  capabilities: viewerProcedure.input(workloadRefSchema).query(async ({ ctx, input }) => {
    const deps = await defaultActionDeps();
    return actionCapabilities(deps, ctx.user, input, await impersonationEnabled(deps));
  }),
  preview: operatorAction
    .input(actionRequestSchema)
    .mutation(async ({ ctx, input }) =>
      previewAction(await defaultActionDeps(), { user: ctx.user, requestId: ctx.requestId }, input),
    ),
  execute: operatorAction
    .input(applyRequestSchema)
    .mutation(async ({ ctx, input }) =>
      applyAction(await defaultActionDeps(), { user: ctx.user, requestId: ctx.requestId }, input),
    ),
  setReplicaBounds: adminAction
    .input(replicaBoundsRuleSchema)
    .mutation(async ({ ctx, input }) =>
      setReplicaBounds(await defaultActionDeps(), { user: ctx.user, requestId: ctx.requestId }, input),
    ),
});
