import 'server-only';
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { PrefetchedQueries } from '@/lib/trpc/prefetched';
import { appRouter } from '@/server/routers/_app';
import { contextFrom, type Context } from './init';
import { transformer } from './transformer';

/** One query cache per server render (React's cache is per request). */
export const getQueryClient = cache(
  () =>
    new QueryClient({
      defaultOptions: {
        // A failed prefetch is left to the browser, which shows the error and retries; no waiting here.
        queries: { staleTime: 10_000, retry: false },
        dehydrate: { serializeData: (data: unknown) => transformer.serialize(data) },
      },
    }),
);

const serverContext = cache(async (): Promise<Context> => contextFrom(await headers(), new AbortController().signal));

/** tRPC's documented server-side options proxy: the same procedures, keys and context as /api/trpc. */
export const serverTrpc = createTRPCOptionsProxy({
  ctx: serverContext,
  router: appRouter,
  queryClient: getQueryClient,
});

/**
 * Waits for the page's first queries (started with getQueryClient().prefetchQuery), then hands their
 * answers to the browser's cache: the HTML carries the figures and the browser asks no query again.
 */
export async function HydratePage({
  ready,
  children,
}: {
  ready: Promise<unknown>;
  children: ReactNode;
}): Promise<ReactNode> {
  await ready;
  const state = dehydrate(getQueryClient());
  return (
    <PrefetchedQueries hashes={state.queries.map((q) => q.queryHash)}>
      <HydrationBoundary state={state}>{children}</HydrationBoundary>
    </PrefetchedQueries>
  );
}

/** What the shell around every page asks for (root layout): the cluster picker's list and the user menu's status. */
export function prefetchShell(): Promise<unknown> {
  const queryClient = getQueryClient();
  return Promise.all([
    queryClient.prefetchQuery(serverTrpc.clusters.list.queryOptions()),
    queryClient.prefetchQuery(serverTrpc.auth.status.queryOptions()),
  ]);
}
