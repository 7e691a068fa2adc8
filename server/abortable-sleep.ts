/**
 * Waits `ms`, or less if `signal` aborts. The abort listener goes when the wait ends either way:
 * a subscription sleeping once a second on its request's signal would otherwise pile up one
 * listener per tick for as long as the page stays open (Node's MaxListenersExceededWarning in CI).
 */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
