'use client';

import { keepPreviousData, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { refreshIntervalMs } from '@/lib/time-range';
import { useWasPrefetched } from '@/lib/trpc/prefetched';
import { useDashboardParams } from '@/lib/url-state';
import { useHydrated } from '@/lib/use-hydrated';
import type { PanelUnavailable, StaleInfo } from '@/server/metrics/types';

/** While a panel shows stale or no data, ask again this often so recovery shows without a reload. */
const retryWhileFailingMs = 3_000;

/** Last good answer per query key, across re-renders and remounts of the panel (bounded). */
const lastGoodByKey = new Map<string, unknown>();
const maxRemembered = 200;

function remember(key: string, answer: unknown): void {
  lastGoodByKey.delete(key);
  lastGoodByKey.set(key, answer);
  const oldest = lastGoodByKey.keys().next().value;
  if (lastGoodByKey.size > maxRemembered && oldest !== undefined) lastGoodByKey.delete(oldest);
}

type Answer = { status: 'ok'; stale: StaleInfo | null } | { status: 'missing' } | PanelUnavailable;

/** Why a request failed: `invalid` when the server refused the question (4xx), so asking again cannot help. */
export interface RequestError {
  message: string;
  invalid: boolean;
}

interface TrpcErrorData {
  httpStatus?: number;
  where?: string;
  fieldErrors?: Record<string, string[] | undefined>;
}

/** The server's 4xx as the user should read it: the field it names, then the reason. */
export function requestErrorOf(error: { message: string; data?: unknown } | null | undefined): RequestError | null {
  if (!error) return null;
  const data = (error.data ?? {}) as TrpcErrorData;
  const status = data.httpStatus ?? 500;
  if (status < 400 || status >= 500) return { message: error.message, invalid: false };
  const fields = Object.entries(data.fieldErrors ?? {}).map(
    ([field, problems]) => `${field}: ${(problems ?? []).join(', ')}`,
  );
  if (fields.length > 0) return { message: fields.join('; '), invalid: true };
  return { message: data.where ? `${data.where}: ${error.message}` : error.message, invalid: true };
}

export function isInvalidRequest(error: unknown): boolean {
  const status = (error as { data?: TrpcErrorData } | null)?.data?.httpStatus;
  return status !== undefined && status >= 400 && status < 500;
}

export interface PanelData<A extends Answer> {
  /** The answer to draw: the latest good one, marked stale when Prometheus fails. */
  answer: A | undefined;
  isLoading: boolean;
  isFetching: boolean;
  /** A request the server refused (bad input) or a network failure. */
  requestError: RequestError | null;
}

function isFailing(answer: Answer | undefined): boolean {
  return answer?.status === 'unavailable' || (answer?.status === 'ok' && answer.stale !== null);
}

/**
 * A panel's query with the page's refresh interval. Keeps the previous answer while refetching and,
 * when Prometheus is down and the server has nothing to stand in, keeps the last good one here.
 */
export function usePanelData<
  A extends Answer,
  E extends { message: string; data?: unknown },
  K extends readonly unknown[],
>(options: UseQueryOptions<A, E, A, K>): PanelData<A> {
  const { refresh } = useDashboardParams();
  const intervalMs = refreshIntervalMs(refresh);
  const key = JSON.stringify(options.queryKey);
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const prefetched = useWasPrefetched(options.queryKey);
  const query = useQuery({
    ...options,
    // The server's answer came with this page: asking again as the page hydrates (a slow one can pass
    // the stale time) would only redraw, and an answer landing mid-hydration would differ from the HTML.
    refetchOnMount: !prefetched,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => {
      // A refused question (a bad time range) gets the same answer every time.
      if (isInvalidRequest(q.state.error)) return false;
      if (isFailing(q.state.data))
        return intervalMs === false ? retryWhileFailingMs : Math.min(intervalMs, retryWhileFailingMs);
      return intervalMs;
    },
    refetchIntervalInBackground: false,
  });
  const data = query.data;
  const failing = isFailing(data);
  const wasFailing = useRef(false);
  // The first panel to hear from Prometheus again wakes the others, instead of each waiting for its own timer.
  useEffect(() => {
    if (wasFailing.current && !failing && data !== undefined) {
      void queryClient.refetchQueries({
        type: 'active',
        predicate: (q) => isFailing(q.state.data as Answer | undefined),
      });
    }
    wasFailing.current = failing;
  }, [failing, data, queryClient]);
  if (data?.status === 'ok' && data.stale === null && !query.isPlaceholderData) remember(key, data);
  const previous = lastGoodByKey.get(key) as A | undefined;
  let answer: A | undefined = data;
  if (data?.status === 'unavailable' && previous) {
    answer = { ...previous, stale: { sinceMs: data.sinceMs, fetchedAtMs: 0, error: data.error } };
  }
  // While React hydrates, draw what the server drew: the prefetched answer, else nothing (another
  // panel may already have fetched this query in the browser, which the server's HTML lacks).
  if (!hydrated && !prefetched) return { answer: undefined, isLoading: true, isFetching: false, requestError: null };
  return {
    answer,
    isLoading: query.isLoading,
    isFetching: query.isFetching,
    requestError: query.error && !data ? requestErrorOf(query.error) : null,
  };
}
