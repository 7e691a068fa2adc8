import 'server-only';
import { CircuitOpenError } from './errors';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** How a finished call counts: `success` = upstream answered (even a 400), `neutral` = caller gave up. */
export type CallOutcome = 'success' | 'failure' | 'neutral';

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

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold?: number;
  /** Time an open breaker waits before letting one probe through. */
  cooldownMs?: number;
  now?: () => number;
}

export interface BreakerCallContext {
  operation: string;
  query?: string;
}

type Listener = (snapshot: BreakerSnapshot) => void;

export const defaultBreakerOptions = { failureThreshold: 5, cooldownMs: 10_000 } as const;

/** closed → open after N consecutive failures → half-open (one probe) after a cooldown → closed on success. */
export class CircuitBreaker {
  readonly key: string;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private state: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private failingSinceMs: number | null = null;
  private openedAtMs: number | null = null;
  private lastSuccessAtMs: number | null = null;
  private lastError: string | null = null;
  private probeInFlight = false;
  private readonly listeners = new Set<Listener>();

  constructor(key: string, options: BreakerOptions = {}) {
    this.key = key;
    this.failureThreshold = options.failureThreshold ?? defaultBreakerOptions.failureThreshold;
    this.cooldownMs = options.cooldownMs ?? defaultBreakerOptions.cooldownMs;
    this.now = options.now ?? Date.now;
    if (this.failureThreshold < 1) throw new RangeError('failureThreshold must be at least 1');
  }

  /** Runs `fn` unless the breaker is open; `classify` decides how its result or error counts. */
  async run<T>(
    context: BreakerCallContext,
    fn: () => Promise<T>,
    classify: (error: unknown) => CallOutcome,
  ): Promise<T> {
    const isProbe = this.admit(context);
    let outcome: CallOutcome = 'neutral';
    try {
      const result = await fn();
      outcome = 'success';
      return result;
    } catch (error) {
      outcome = classify(error);
      if (outcome === 'failure') this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.settle(outcome, isProbe);
    }
  }

  snapshot(): BreakerSnapshot {
    return {
      key: this.key,
      state: this.currentState(),
      consecutiveFailures: this.consecutiveFailures,
      failingSinceMs: this.failingSinceMs,
      openedAtMs: this.openedAtMs,
      retryAtMs: this.openedAtMs === null ? null : this.openedAtMs + this.cooldownMs,
      lastSuccessAtMs: this.lastSuccessAtMs,
      lastError: this.lastError,
    };
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private currentState(): BreakerState {
    // An open breaker whose cooldown has passed reports half-open: the next call will probe.
    if (this.state === 'open' && this.openedAtMs !== null && this.now() >= this.openedAtMs + this.cooldownMs) {
      return 'half-open';
    }
    return this.state;
  }

  /** Returns whether the admitted call is the half-open probe; throws while open. */
  private admit(context: BreakerCallContext): boolean {
    const state = this.currentState();
    if (state === 'closed') return false;
    if (state === 'half-open' && !this.probeInFlight) {
      this.transition('half-open');
      this.probeInFlight = true;
      return true;
    }
    const openedAtMs = this.openedAtMs ?? this.now();
    throw new CircuitOpenError({
      prometheusUrl: this.key,
      operation: context.operation,
      query: context.query,
      openedAtMs,
      retryAtMs: openedAtMs + this.cooldownMs,
    });
  }

  private settle(outcome: CallOutcome, isProbe: boolean): void {
    if (isProbe) this.probeInFlight = false;
    if (outcome === 'success') {
      this.consecutiveFailures = 0;
      this.failingSinceMs = null;
      this.openedAtMs = null;
      this.lastSuccessAtMs = this.now();
      this.lastError = null;
      this.transition('closed');
      return;
    }
    if (outcome === 'neutral') return;
    this.consecutiveFailures += 1;
    this.failingSinceMs ??= this.now();
    if (isProbe || this.state === 'half-open' || this.consecutiveFailures >= this.failureThreshold) {
      this.openedAtMs = this.now();
      this.transition('open');
    }
  }

  private transition(next: BreakerState): void {
    if (this.state === next) return;
    this.state = next;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}

const registryKey = Symbol.for('burnrate.prometheus.breakers');
type GlobalWithBreakers = typeof globalThis & { [registryKey]?: Map<string, CircuitBreaker> };

function registry(): Map<string, CircuitBreaker> {
  const g = globalThis as GlobalWithBreakers;
  g[registryKey] ??= new Map();
  return g[registryKey];
}

/** The process-wide breaker for one upstream URL (created on first use). */
export function breakerFor(prometheusUrl: string, options?: BreakerOptions): CircuitBreaker {
  const breakers = registry();
  let breaker = breakers.get(prometheusUrl);
  if (!breaker) {
    breaker = new CircuitBreaker(prometheusUrl, options);
    breakers.set(prometheusUrl, breaker);
  }
  return breaker;
}

/** Every breaker's state, for /api/health. */
export function breakerSnapshots(): BreakerSnapshot[] {
  return [...registry().values()].map((breaker) => breaker.snapshot());
}
