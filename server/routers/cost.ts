import 'server-only';
import { z } from 'zod';
import { costOverview, costReconcile, costUnitCosts } from '@/server/cost/cost-service';
import { costDimensions } from '@/lib/cost-dimensions';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

// The Cost page's reads: a range like the metrics router's, a cluster (or `all`), a grouping.
const viewInput = z.object({
  range: z.object({ from: z.string().min(1).max(40), to: z.string().min(1).max(40) }),
  cluster: z.string().min(1).max(253),
});

export const costRouter = createTRPCRouter({
  overview: viewerProcedure
    .input(viewInput.extend({ by: z.enum(costDimensions) }))
    .query(({ input }) => costOverview(input)),
  unitCosts: viewerProcedure.input(viewInput).query(({ input }) => costUnitCosts(input)),
  reconcile: viewerProcedure.input(viewInput).query(({ input }) => costReconcile(input)),
});
