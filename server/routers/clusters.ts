import 'server-only';
import { configuredClusters } from '@/server/clusters/config';
import { createTRPCRouter, viewerProcedure } from '@/server/trpc/init';

export const clustersRouter = createTRPCRouter({
  list: viewerProcedure.query(() => configuredClusters()),
});
