import 'server-only';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { clusterConnections, streamLiveState } from '@/server/kubernetes';
import { liveKinds } from '@/server/kubernetes/types';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

const clusterName = z.string().min(1).max(253);
const namespaceName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

export const workloadsRouter = createTRPCRouter({
  /** Live Deployments, ReplicaSets, Pods, Events and Knative objects: snapshot, then patches (SSE); each event is a LiveMessage as JSON text. */
  live: viewerProcedure
    .input(
      z.object({
        cluster: clusterName.default('all'),
        namespace: namespaceName.optional(),
        kinds: z.array(z.enum(liveKinds)).min(1).max(liveKinds.length),
        lastEventId: z.string().max(8192).nullish(),
      }),
    )
    .subscription(async function* ({ input, signal }) {
      for await (const envelope of streamLiveState(input, signal ?? new AbortController().signal)) {
        yield tracked(envelope.id, envelope.json);
      }
    }),

  clusters: viewerProcedure
    .input(z.object({ cluster: clusterName.default('all') }).optional())
    .query(({ input }) => clusterConnections(input?.cluster)),
});
