import 'server-only';
import { z } from 'zod';
import { auditFilterSchema, searchAuditLog } from '@/server/actions/audit-log';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

export const auditRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ filter: auditFilterSchema.default({}), limit: z.number().int().min(1).max(500).default(100), beforeId: z.number().int().positive().optional() }))
    .query(({ input }) => searchAuditLog(input.filter, input.limit, input.beforeId)),
});
