import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerSnapshot } from './breaker';
import { CircuitOpenError } from './errors';

const context = { operation: 'query', query: 'up' };
const fail = (): Promise<never> => Promise.reject(new Error('connection refused'));
const succeed = (): Promise<string> => Promise.resolve('ok');
const failureOutcome = (): 'failure' => 'failure';

function makeBreaker(): { breaker: CircuitBreaker; clock: { nowMs: number } } {
  const clock = { nowMs: 1_000_000 };
  const breaker = new CircuitBreaker('http://prom', { failureThreshold: 3, cooldownMs: 10_000, now: () => clock.nowMs });
  return { breaker, clock };
}

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await breaker.run(context, fail, failureOutcome).catch(() => undefined);
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and resets the streak on success', async () => {
    const { breaker } = makeBreaker();
    await failTimes(breaker, 2);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2, failingSinceMs: 1_000_000 });
    await breaker.run(context, succeed, failureOutcome);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0, failingSinceMs: null });
  });

  it('opens after N consecutive failures and then fails fast without calling the upstream', async () => {
    const { breaker, clock } = makeBreaker();
    await failTimes(breaker, 3);
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAtMs: 1_000_000, retryAtMs: 1_010_000 });
    let calls = 0;
    clock.nowMs += 9_999;
    const error = await breaker
      .run(context, () => {
        calls++;
        return succeed();
      }, failureOutcome)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ prometheusUrl: 'http://prom', query: 'up', retryAtMs: 1_010_000 });
    expect(calls).toBe(0);
  });

  it('lets exactly one probe through after the cooldown and closes when it succeeds', async () => {
    const { breaker, clock } = makeBreaker();
    await failTimes(breaker, 3);
    clock.nowMs += 10_000;
    expect(breaker.snapshot().state).toBe('half-open');
    let release: (value: string) => void = () => undefined;
    const probe = breaker.run(context, () => new Promise<string>((resolve) => (release = resolve)), failureOutcome);
    await expect(breaker.run(context, succeed, failureOutcome)).rejects.toBeInstanceOf(CircuitOpenError);
    release('ok');
    await expect(probe).resolves.toBe('ok');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0, lastSuccessAtMs: 1_010_000 });
  });

  it('re-opens for another cooldown when the probe fails, keeping the first failure time', async () => {
    const { breaker, clock } = makeBreaker();
    await failTimes(breaker, 3);
    clock.nowMs += 10_000;
    await failTimes(breaker, 1);
    expect(breaker.snapshot()).toMatchObject({
      state: 'open',
      openedAtMs: 1_010_000,
      retryAtMs: 1_020_000,
      failingSinceMs: 1_000_000,
      lastError: 'connection refused',
    });
  });

  it('does not count neutral outcomes (caller aborts) and frees the probe slot', async () => {
    const { breaker, clock } = makeBreaker();
    await failTimes(breaker, 3);
    clock.nowMs += 10_000;
    await breaker.run(context, fail, () => 'neutral').catch(() => undefined);
    expect(breaker.snapshot().state).toBe('half-open');
    await expect(breaker.run(context, succeed, failureOutcome)).resolves.toBe('ok');
    expect(breaker.snapshot().state).toBe('closed');
  });

  it('notifies subscribers of each state change', async () => {
    const { breaker, clock } = makeBreaker();
    const states: BreakerSnapshot['state'][] = [];
    const unsubscribe = breaker.subscribe((s) => states.push(s.state));
    await failTimes(breaker, 3);
    clock.nowMs += 10_000;
    await breaker.run(context, succeed, failureOutcome);
    unsubscribe();
    await failTimes(breaker, 3);
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });
});
