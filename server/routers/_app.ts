import 'server-only';
import { createTRPCRouter } from '@/server/trpc/init';
import { clustersRouter } from './clusters';
import { systemRouter } from './system';

export const appRouter = createTRPCRouter({
  system: systemRouter,
  clusters: clustersRouter,
});

export type AppRouter = typeof appRouter;
