import 'server-only';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { streamLiveState } from '@/server/kubernetes';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

export const pipelinesRouter = createTRPCRouter({
  /** Live Argo Workflows (runs with their step DAGs) and the Events about them (SSE); each event is a LiveMessage as JSON text. */
  live: viewerProcedure
    .input(
      z.object({
        cluster: z.string().min(1).max(253).default('all'),
        namespace: z.string().min(1).max(63).optional(),
        lastEventId: z.string().max(8192).nullish(),
      }),
    )
    .subscription(async function* ({ input, signal }) {
      const request = { ...input, kinds: ['Workflow' as const, 'Event' as const], eventsAbout: ['Workflow'] };
      for await (const envelope of streamLiveState(request, signal ?? new AbortController().signal)) {
        yield tracked(envelope.id, envelope.json);
      }
    }),
});
