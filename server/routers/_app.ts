import 'server-only';
import { createTRPCRouter } from '@/server/trpc/init';
import { actionsRouter } from './actions';
import { auditRouter } from './audit';
import { authRouter } from './auth';
import { clustersRouter } from './clusters';
import { systemRouter } from './system';

export const appRouter = createTRPCRouter({
  system: systemRouter,
  clusters: clustersRouter,
  actions: actionsRouter,
  audit: auditRouter,
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
