import 'server-only';
import { setMaxListeners } from 'node:events';

interface Shared {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
}

/**
 * Runs one upstream call per key at a time and hands its result to every caller asking meanwhile.
 * A caller that aborts stops waiting; the shared call is aborted only when every caller has.
 */
export class Coalescer {
  private readonly inFlight = new Map<string, Shared>();

  run<T>(key: string, fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let shared = this.inFlight.get(key);
    if (!shared) shared = this.start(key, fn);
    const entry = shared;
    entry.waiters++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        entry.waiters--;
        reject(signal?.reason);
        if (entry.waiters === 0 && this.inFlight.get(key) === entry) {
          this.inFlight.delete(key);
          entry.controller.abort(signal?.reason);
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** Keys with a call in flight. */
  get size(): number {
    return this.inFlight.size;
  }

  private start<T>(key: string, fn: (signal: AbortSignal) => Promise<T>): Shared {
    const controller = new AbortController();
    // One shared call may make many upstream calls on this signal (discovery: a dozen), each listening.
    setMaxListeners(100, controller.signal);
    const promise = Promise.resolve().then(() => fn(controller.signal));
    const shared: Shared = { promise, controller, waiters: 0 };
    const forget = (): void => {
      if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
    };
    promise.then(forget, forget);
    this.inFlight.set(key, shared);
    return shared;
  }
}
