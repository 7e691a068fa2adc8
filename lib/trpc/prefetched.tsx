'use client';

import { hashKey } from '@tanstack/react-query';
import { createContext, useContext, useMemo, type ReactNode } from 'react';

const PrefetchedContext = createContext<ReadonlySet<string>>(new Set());

/** The hashes of the queries the server answered for this page (server/trpc/prefetch.tsx). */
export function PrefetchedQueries({ hashes, children }: { hashes: string[]; children: ReactNode }): ReactNode {
  const set = useMemo(() => new Set(hashes), [hashes]);
  return <PrefetchedContext value={set}>{children}</PrefetchedContext>;
}

/**
 * True when the server prefetched this query: its answer is in the page's HTML and in the cache
 * the browser hydrates from, so drawing it while React hydrates draws what the server drew.
 */
export function useWasPrefetched(queryKey: readonly unknown[]): boolean {
  return useContext(PrefetchedContext).has(hashKey(queryKey));
}
