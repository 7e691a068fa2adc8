import 'server-only';
import { z } from 'zod';
import {
  activeImportJobs,
  billingExplorerInputSchema,
  billingFiltersSchema,
  billingFilterOptions,
  billingLinesPage,
  exploreBilling,
  importJob,
  lineCursorSchema,
  recentImports,
} from '@/server/billing/ingest-service';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const billingRouter = createTRPCRouter({
  explorer: viewerProcedure.input(billingExplorerInputSchema).query(({ input }) => exploreBilling(input)),
  lines: viewerProcedure
    .input(
      z.object({
        filters: billingFiltersSchema,
        cursor: lineCursorSchema.nullable().default(null),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ input }) => billingLinesPage(input.filters, input.cursor, input.limit)),
  filterOptions: viewerProcedure
    .input(z.object({ from: day, to: day }))
    .query(({ input }) => billingFilterOptions(input.from, input.to)),
  imports: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }))
    .query(async ({ input }) => ({ imports: await recentImports(input.limit), active: activeImportJobs() })),
  importProgress: viewerProcedure.input(z.object({ id: z.string().max(64) })).query(({ input }) => importJob(input.id)),
});
