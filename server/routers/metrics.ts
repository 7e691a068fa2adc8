import 'server-only';
import { z } from 'zod';
import { firingAlerts } from '@/server/metrics/alerts';
import { dataSources } from '@/server/metrics/data-sources';
import { explorePromQl } from '@/server/metrics/explore';
import { gpuDevices, gpuWorkloads } from '@/server/metrics/gpu-tables';
import { panelIds, rangePanel } from '@/server/metrics/run-panel';
import { nowPanel } from '@/server/metrics/now-panel';
import { workloadMetrics } from '@/server/metrics/workload-panels';
import { maxExploreQueryChars } from '@/server/prometheus/query-builder';
import { adminProcedure, createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

// Structured input only: a panel id, a cluster name and a range. No PromQL crosses this boundary,
// except `explore`: an admin's ad-hoc query, audited.
const rangeInput = z.object({ from: z.string().min(1).max(40), to: z.string().min(1).max(40) });
const clusterInput = z.string().min(1).max(253);

export const metricsRouter = createTRPCRouter({
  panel: viewerProcedure
    .input(
      z.object({
        panel: z.enum(panelIds),
        cluster: clusterInput,
        range: rangeInput,
        pointsWanted: z.number().int().min(10).max(1000),
      }),
    )
    .query(({ input, ctx }) => rangePanel(input, ctx.signal)),

  /** A panel's figures at now, whatever range the page shows: the "now" tiles. */
  now: viewerProcedure
    .input(z.object({ panel: z.enum(panelIds), cluster: clusterInput }))
    .query(({ input, ctx }) => nowPanel(input, ctx.signal)),

  gpuDevices: viewerProcedure
    .input(z.object({ cluster: clusterInput, range: rangeInput }))
    .query(({ input, ctx }) => gpuDevices(input, ctx.signal)),

  gpuWorkloads: viewerProcedure
    .input(z.object({ cluster: clusterInput, range: rangeInput }))
    .query(({ input, ctx }) => gpuWorkloads(input, ctx.signal)),

  alerts: viewerProcedure
    .input(z.object({ cluster: clusterInput }))
    .query(({ input, ctx }) => firingAlerts(input.cluster, ctx.signal)),

  workload: viewerProcedure
    .input(
      z.object({
        cluster: clusterInput,
        namespace: z.string().min(1).max(253),
        kind: z.enum(['Deployment', 'KnativeService']),
        name: z.string().min(1).max(253),
        range: rangeInput,
        pointsWanted: z.number().int().min(10).max(1000),
      }),
    )
    .query(({ input, ctx }) => workloadMetrics(input, ctx.signal)),

  dataSources: viewerProcedure.query(({ ctx }) => dataSources(ctx.signal)),

  /** A mutation, not a query: each run is an audited act, never re-run by a refetch. */
  explore: adminProcedure
    .input(
      z.object({
        query: z.string().min(1).max(maxExploreQueryChars),
        range: rangeInput,
        pointsWanted: z.number().int().min(10).max(1000),
      }),
    )
    .mutation(({ input, ctx }) => explorePromQl(input, { user: ctx.user!, requestId: ctx.requestId }, ctx.signal)),
});
