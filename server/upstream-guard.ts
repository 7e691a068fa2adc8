import 'server-only';
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isTaskCancelledError,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';

// One resilience layer per upstream (Prometheus, Alertmanager): cockatiel's retry around its
// circuit breaker around a per-attempt timeout. Each upstream module says which errors are
// failures (they count towards opening the breaker) and which of those are transient (retried).

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  /** The upstream URL this breaker guards. */
  key: string;
  state: BreakerState;
  consecutiveFailures: number;
  /** First failure of the current failing streak (epoch ms), for "stale since …". */
  failingSinceMs: number | null;
  openedAtMs: number | null;
  /** When an open breaker lets the next probe through (epoch ms). */
  retryAtMs: number | null;
  lastSuccessAtMs: number | null;
  lastError: string | null;
}

export interface GuardOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold?: number;
  /** Time an open breaker waits before letting one probe through. */
  halfOpenAfterMs?: number;
  /** Retries of a transient failure (idempotent reads only: every call through a guard must be one). */
  retries?: number;
  retryDelayMs?: number;
  /** An upstream failure: counts towards opening the breaker (timeouts always do; a 4xx or a caller abort should not). */
  isFailure: (error: unknown) => boolean;
  /** A failure worth one more try (connection reset, 502/503/504); never a 4xx or a timeout. */
  isTransient: (error: unknown) => boolean;
}

export const defaultGuardOptions = {
  failureThreshold: 5,
  halfOpenAfterMs: 10_000,
  retries: 2,
  retryDelayMs: 100,
} as const;

/** Thrown by `execute` when the attempt ran past `timeoutMs` (and the caller had not aborted). */
export class GuardTimeoutError extends Error {
  override readonly name = 'GuardTimeoutError';
}

type Listener = (snapshot: BreakerSnapshot) => void;

const states: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export class UpstreamGuard {
  readonly key: string;
  readonly halfOpenAfterMs: number;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retry: RetryPolicy;
  private consecutiveFailures = 0;
  private failingSinceMs: number | null = null;
  private openedAtMs: number | null = null;
  private lastSuccessAtMs: number | null = null;
  private lastError: string | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(key: string, options: GuardOptions) {
    this.key = key;
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? defaultGuardOptions.halfOpenAfterMs;
    const threshold = options.failureThreshold ?? defaultGuardOptions.failureThreshold;
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof GuardTimeoutError || options.isFailure(error)),
      {
        halfOpenAfter: this.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(threshold),
      },
    );
    this.retry = retry(handleWhen(options.isTransient), {
      maxAttempts: options.retries ?? defaultGuardOptions.retries,
      backoff: new ExponentialBackoff({ initialDelay: options.retryDelayMs ?? defaultGuardOptions.retryDelayMs }),
    });
    this.breaker.onSuccess(() => {
      this.consecutiveFailures = 0;
      this.failingSinceMs = null;
      this.lastSuccessAtMs = Date.now();
      this.lastError = null;
    });
    this.breaker.onFailure(({ handled, reason }) => {
      if (!handled) return;
      this.consecutiveFailures += 1;
      this.failingSinceMs ??= Date.now();
      const error = 'error' in reason ? reason.error : reason.value;
      this.lastError = error instanceof Error ? error.message : String(error);
    });
    this.breaker.onBreak(() => (this.openedAtMs = Date.now()));
    this.breaker.onReset(() => (this.openedAtMs = null));
    this.breaker.onStateChange(() => {
      const snapshot = this.snapshot();
      for (const listener of this.listeners) listener(snapshot);
    });
  }

  /**
   * Runs `fn` (retried when transient, each attempt limited to `timeoutMs`: GuardTimeoutError) unless
   * the breaker is open (cockatiel's BrokenCircuitError); while half-open, calls wait for the probe.
   * A caller abort rejects with the signal's reason.
   */
  async execute<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<T> {
    options.signal?.throwIfAborted();
    // abortOnReturn off: the exchange is over by then, and aborting it would drop its kept-alive socket.
    const attempt = timeout(options.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
    const limited = (signal: AbortSignal): Promise<T> =>
      attempt
        .execute(({ signal: own }) => fn(own), signal)
        .catch((error: unknown) => {
          if (options.signal?.aborted) throw options.signal.reason;
          if (isTaskCancelledError(error))
            throw new GuardTimeoutError(`no complete answer within ${options.timeoutMs} ms`, { cause: error });
          throw error;
        });
    const run = this.retry.execute(
      ({ signal }) => this.breaker.execute(({ signal: inner }) => limited(inner), signal),
      options.signal,
    );
    const caller = options.signal;
    if (!caller) return run;
    // A call queued behind a half-open probe does not watch its signal: stop waiting when the caller goes.
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(caller.reason);
      caller.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => caller.removeEventListener('abort', onAbort));
    });
  }

  snapshot(): BreakerSnapshot {
    const retryAtMs = this.openedAtMs === null ? null : this.openedAtMs + this.halfOpenAfterMs;
    let state = states[this.breaker.state];
    // Cockatiel moves to half-open on the next call; past the wait that call will be the probe.
    if (state === 'open' && retryAtMs !== null && Date.now() >= retryAtMs) state = 'half-open';
    return {
      key: this.key,
      state,
      consecutiveFailures: this.consecutiveFailures,
      failingSinceMs: this.failingSinceMs,
      openedAtMs: this.openedAtMs,
      retryAtMs,
      lastSuccessAtMs: this.lastSuccessAtMs,
      lastError: this.lastError,
    };
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const registryKey = Symbol.for('burnrate.upstreamGuards');
type GlobalWithGuards = typeof globalThis & { [registryKey]?: Map<string, UpstreamGuard> };

function registry(): Map<string, UpstreamGuard> {
  const g = globalThis as GlobalWithGuards;
  g[registryKey] ??= new Map();
  return g[registryKey];
}

/**
 * The process-wide guard of one upstream (created on first use with `options`). Process-wide via
 * Symbol.for: each Next route bundle has its own copy of this module.
 */
export function guardFor(upstream: string, url: string, options: () => GuardOptions): UpstreamGuard {
  const guards = registry();
  const registryName = `${upstream} ${url}`;
  let guard = guards.get(registryName);
  if (!guard) {
    guard = new UpstreamGuard(url, options());
    guards.set(registryName, guard);
  }
  return guard;
}
