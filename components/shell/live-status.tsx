'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import type { ReactNode } from 'react';
import { useTRPC } from '@/lib/trpc/client';

/** The server's clock over SSE: shows that the live connection is up, and the time in UTC. */
export function LiveStatus(): ReactNode {
  const trpc = useTRPC();
  const clock = useSubscription(trpc.system.clock.subscriptionOptions());
  const live = clock.status === 'pending' && clock.data !== undefined;
  const time = clock.data ? new Date(clock.data.nowMs).toISOString().slice(11, 19) : '--:--:--';
  const state = live ? 'live' : clock.status === 'error' ? 'offline' : 'connecting';
  return (
    <span className={`live-status ${state}`} data-testid="live-status" data-state={state} title={clock.error?.message}>
      <span className="dot" aria-hidden="true" />
      {state === 'live' ? 'Live' : state === 'offline' ? 'Offline' : 'Connecting'} · {time} UTC
    </span>
  );
}
