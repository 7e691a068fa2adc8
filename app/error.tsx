'use client';

import type { ReactNode } from 'react';
import { ErrorState } from '@/components/states';

export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}): ReactNode {
  return (
    <ErrorState
      title="This page failed to render"
      message={error.message}
      where={error.digest ? `server error ${error.digest} (see the server log)` : 'in the browser'}
      action="Try again; if it keeps failing, check /api/health."
      onRetry={reset}
    />
  );
}
