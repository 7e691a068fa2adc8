import 'server-only';
import { z } from 'zod';
import { auditFilterSchema, searchAuditLog } from '@/server/actions/audit-log';
import { workloadRefSchema } from '@/server/actions/types';
import { workloadAnnotations } from '@/server/audit/annotations';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

export const auditRouter = createTRPCRouter({
  list: viewerProcedure
    .input(
      z.object({
        filter: auditFilterSchema.default({}),
        limit: z.number().int().min(1).max(500).default(100),
        beforeId: z.number().int().positive().optional(),
      }),
    )
    .query(({ input }) => searchAuditLog(input.filter, input.limit, input.beforeId)),

  /** Markers for a workload's time-series charts: every action taken on it in the range. */
  annotations: viewerProcedure
    .input(
      z.object({
        workload: workloadRefSchema,
        range: z.object({ from: z.string().min(1).max(40), to: z.string().min(1).max(40) }),
      }),
    )
    .query(({ input }) => workloadAnnotations(input)),
});
