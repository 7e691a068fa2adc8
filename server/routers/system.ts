import 'server-only';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { abortableSleep as sleep } from '@/server/abortable-sleep';
import { checkHealth, type HealthReport } from '@/server/health';
import { createTRPCRouter, publicProcedure, viewerProcedure } from '@/server/trpc/init';

const HEALTH_POLL_MS = 5000;

function healthKey(report: HealthReport): string {
  return JSON.stringify(Object.entries(report.checks).map(([name, check]) => [name, check.status, check.error]));
}

export const systemRouter = createTRPCRouter({
  health: publicProcedure.query(() => checkHealth()),

  /** Liveness through tRPC, the same answer as GET /api/ping (the bench compares the two). */
  ping: publicProcedure.query(() => ({ ok: true, service: 'burnrate' })),

  whoami: publicProcedure.query(({ ctx }) => ctx.user),

  /** Health pushed to the browser whenever a check changes status (polled on the server). */
  healthChanges: viewerProcedure
    .input(z.object({ lastEventId: z.string().nullish() }).optional())
    .subscription(async function* ({ signal }) {
      let previous = '';
      let sequence = 0;
      while (!signal?.aborted) {
        const report = await checkHealth();
        const key = healthKey(report);
        if (key !== previous) {
          previous = key;
          sequence += 1;
          yield tracked(`${Date.now()}-${sequence}`, report);
        }
        await sleep(HEALTH_POLL_MS, signal);
      }
    }),

  /** Server time once a second: the smallest live stream, used by the shell's clock and in tests. */
  clock: publicProcedure.subscription(async function* ({ signal }) {
    while (!signal?.aborted) {
      yield { nowMs: Date.now() };
      await sleep(1000, signal);
    }
  }),
});
