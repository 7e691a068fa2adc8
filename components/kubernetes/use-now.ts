'use client';

import { useEffect, useState } from 'react';

/** The current time, ticking every `intervalMs`, so ages and running durations move on their own. */
export function useNowMs(intervalMs = 1000): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return nowMs;
}
