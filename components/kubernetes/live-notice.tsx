import type { ReactNode } from 'react';
import { ErrorState, LoadingState } from '@/components/states';
import type { LiveState } from '@/lib/kube-cache';

/**
 * The state of the stream itself: an error when the browser cannot reach the app, loading until
 * the first lists arrived. Returns null once live (clusters report their own state).
 */
export function LiveNotice({ live, what }: { live: LiveState; what: string }): ReactNode {
  if (live.stream === 'error') {
    return (
      <ErrorState
        title={`Live ${what} unavailable`}
        message={live.streamError ?? 'The live connection failed.'}
        where="Burnrate app (SSE /api/trpc)"
        action="Reload the page; if it persists, check /api/health."
      />
    );
  }
  if (
    !live.loaded &&
    live.clusters.every((c) => c.connection.state === 'connected' || c.connection.state === 'connecting')
  ) {
    return <LoadingState label={`Loading live ${what}…`} />;
  }
  return null;
}
