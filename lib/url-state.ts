'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo } from 'react';
import { readDashboardParams, type DashboardParams } from './dashboard-params';
import type { RefreshInterval } from './time-range';

export { ALL_CLUSTERS, readDashboardParams, type DashboardParams } from './dashboard-params';

/**
 * The query string of a navigation this page pushed that has not committed yet. Two quick changes
 * (a range, then the refresh interval) must build on each other: the second one cannot start from
 * the search params React has rendered, which still lack the first (CI caught exactly that race).
 */
let pendingSearch: { pathname: string; search: string } | null = null;

/** The dashboard's shared state (time range, refresh, cluster), read from and written to the URL. */
export function useDashboardParams(): DashboardParams & {
  update: (changes: Partial<{ from: string; to: string; refresh: RefreshInterval; cluster: string }>) => void;
  /** `?from=…&to=…` to carry the state along links to other pages. */
  queryString: string;
} {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const params = useMemo(() => readDashboardParams(new URLSearchParams(searchParams.toString())), [searchParams]);

  useEffect(() => {
    if (pendingSearch && (pendingSearch.pathname !== pathname || pendingSearch.search === searchParams.toString())) {
      pendingSearch = null;
    }
  }, [pathname, searchParams]);

  const update = useCallback(
    (changes: Partial<{ from: string; to: string; refresh: RefreshInterval; cluster: string }>) => {
      const base = pendingSearch?.pathname === pathname ? pendingSearch.search : searchParams.toString();
      const next = new URLSearchParams(base);
      for (const [key, value] of Object.entries(changes)) next.set(key, value);
      pendingSearch = { pathname, search: next.toString() };
      router.push(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  const queryString = useMemo(() => {
    const carried = new URLSearchParams();
    for (const key of ['from', 'to', 'refresh', 'cluster']) {
      const value = searchParams.get(key);
      if (value) carried.set(key, value);
    }
    const text = carried.toString();
    return text ? `?${text}` : '';
  }, [searchParams]);

  return { ...params, update, queryString };
}
