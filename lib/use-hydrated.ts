'use client';

import { useSyncExternalStore } from 'react';

const noSubscription = (): (() => void) => () => {};

/**
 * False on the server and while React hydrates, true after. A query that another, earlier
 * hydrated component already fetched (the top bar's cluster list) is in the cache when a later
 * part of the page hydrates, and TanStack Query hands it over at once: text built from it would
 * differ from the server's HTML (React error 418, caught by the e2e console check). Render such
 * text only once hydrated.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
