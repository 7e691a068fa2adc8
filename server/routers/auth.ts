import 'server-only';
import { authStatus, signOutEverywhere } from '@/server/auth/account';
import { createTRPCRouter, publicProcedure, viewerProcedure } from '@/server/trpc/init';

export const authRouter = createTRPCRouter({
  status: publicProcedure.query(({ ctx }) => authStatus(ctx.user)),
  signOutEverywhere: viewerProcedure.mutation(async ({ ctx }) => ({
    endedSessions: await signOutEverywhere(ctx.user),
  })),
});
