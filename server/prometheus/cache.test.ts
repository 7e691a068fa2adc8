import { describe, expect, it } from 'vitest';
import { ResultCache, TtlLruCache } from './cache';
import { PrometheusBadQueryError, PrometheusUnreachableError } from './errors';

const context = { prometheusUrl: 'http://prom', operation: 'query_range', query: 'up' };

describe('TtlLruCache', () => {
  it('is fresh within the TTL, stale after it, and gone after the stale retention', () => {
    const clock = { nowMs: 0 };
    const cache = new TtlLruCache<string>({ ttlMs: 1_000, staleTtlMs: 5_000, now: () => clock.nowMs });
    cache.set('k', 'v');
    clock.nowMs = 999;
    expect(cache.get('k')?.fresh).toBe(true);
    clock.nowMs = 1_000;
    expect(cache.get('k')).toMatchObject({ value: 'v', fresh: false, fetchedAtMs: 0 });
    clock.nowMs = 5_001;
    expect(cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new TtlLruCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a')?.value, cache.get('b')?.value, cache.get('c')?.value]).toEqual([1, undefined, 3]);
  });

  it('evicts by total weight and refuses an entry heavier than the bound', () => {
    const cache = new TtlLruCache<string>({ ttlMs: 60_000, maxWeight: 100 });
    cache.set('a', 'a', 60);
    cache.set('b', 'b', 30);
    cache.set('c', 'c', 30);
    // 60 + 30 + 30 = 120 > 100 → the oldest (a) goes: 60 left
    expect(cache.totalWeight).toBe(60);
    expect(cache.get('a')).toBeUndefined();
    cache.set('huge', 'x', 101);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});

describe('ResultCache', () => {
  it('does not serve stale data for a bad query, only for upstream failures', async () => {
    const clock = { nowMs: 0 };
    const cache = new ResultCache<string>({ ttlMs: 0, now: () => clock.nowMs });
    await cache.get('k', () => Promise.resolve('first'));
    const badQuery = new PrometheusBadQueryError({ ...context, httpStatus: 400, errorType: 'bad_data', upstreamError: 'parse error' });
    await expect(cache.get('k', () => Promise.reject(badQuery))).rejects.toBe(badQuery);
    clock.nowMs = 500;
    const down = new PrometheusUnreachableError('down', context);
    const stale = await cache.get('k', () => Promise.reject(down));
    expect(stale).toMatchObject({ value: 'first', stale: { staleSinceMs: 500, fetchedAtMs: 0, error: { kind: 'unreachable' } } });
    clock.nowMs = 900;
    expect((await cache.get('k', () => Promise.reject(down))).stale?.staleSinceMs).toBe(500);
    expect(await cache.get('k', () => Promise.resolve('second'))).toEqual({ value: 'second', fromCache: false });
  });

  it('throws the upstream error when there is nothing to fall back on', async () => {
    const cache = new ResultCache<string>({ ttlMs: 1_000 });
    const down = new PrometheusUnreachableError('down', context);
    await expect(cache.get('k', () => Promise.reject(down))).rejects.toBe(down);
  });
});
