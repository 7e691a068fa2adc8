'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTRPC } from '@/lib/trpc/client';

/** Who is signed in, with the role, and the way to switch or sign out (for the top bar). */
export function UserMenu(): ReactNode {
  const trpc = useTRPC();
  const status = useQuery(trpc.auth.status.queryOptions());
  const user = status.data?.user;
  return (
    <a className="small" href="/sign-in" aria-label="Account" title="Switch user or sign out">
      {user ? `${user.name} · ${user.role}` : 'Sign in'}
    </a>
  );
}
