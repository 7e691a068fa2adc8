'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '@/server/routers/_app';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // 4xx answers will not change by asking again (Headlamp's rule: never retry 401/403).
        retry: (failureCount, error) => {
          const status = (error as { data?: { httpStatus?: number } }).data?.httpStatus ?? 500;
          return status >= 500 && failureCount < 2;
        },
      },
      // The answers a page's server component prefetched (server/trpc/prefetch.tsx), in tRPC's wire format.
      hydrate: { deserializeData: (data) => superjson.deserialize(data) },
    },
  });
}

export function TRPCReactProvider({ children }: { children: ReactNode }): ReactNode {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
          false: splitLink({
            condition: (op) => op.type === 'query',
            // A page's panels refresh together in one request whose answers stream back each as it
            // is ready: a quick panel no longer waits for the slowest one of its batch.
            true: httpBatchStreamLink({ url: '/api/trpc', transformer: superjson }),
            // A mutation's answer keeps its HTTP status (a refused action is a 4xx, as logged).
            false: httpBatchLink({ url: '/api/trpc', transformer: superjson }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
