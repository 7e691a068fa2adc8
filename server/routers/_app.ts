import 'server-only';
import { createTRPCRouter } from '@/server/trpc/init';
import { alertsRouter } from './alerts';
import { actionsRouter } from './actions';
import { auditRouter } from './audit';
import { authRouter } from './auth';
import { billingRouter } from './billing';
import { clustersRouter } from './clusters';
import { costRouter } from './cost';
import { metricsRouter } from './metrics';
import { pipelinesRouter } from './pipelines';
import { systemRouter } from './system';
import { workloadsRouter } from './workloads';

export const appRouter = createTRPCRouter({
  system: systemRouter,
  alerts: alertsRouter,
  clusters: clustersRouter,
  metrics: metricsRouter,
  workloads: workloadsRouter,
  pipelines: pipelinesRouter,
  actions: actionsRouter,
  audit: auditRouter,
  auth: authRouter,
  billing: billingRouter,
  cost: costRouter,
});

export type AppRouter = typeof appRouter;
