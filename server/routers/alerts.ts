import 'server-only';
import { z } from 'zod';
import { recentAlertHistory } from '@/server/alerts/history';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

export const alertsRouter = createTRPCRouter({
  history: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100), cluster: z.string().optional() }))
    .query(({ input }) => recentAlertHistory(input.limit, input.cluster)),
});
