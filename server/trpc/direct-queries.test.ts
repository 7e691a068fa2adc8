import { describe, expect, it } from 'vitest';
import { directQueryPath } from './direct-queries';

const input = `?input=${encodeURIComponent(JSON.stringify({ json: null }))}`;

describe('direct tRPC queries', () => {
  it('takes GET calls whose procedures are all queries, batches included', () => {
    expect(directQueryPath('GET', `/api/trpc/system.ping${input}`)).toBe('system.ping');
    expect(directQueryPath('GET', '/api/trpc/system.ping')).toBe('system.ping');
    expect(directQueryPath('GET', `/api/trpc/system.ping,metrics.panel?batch=1&input=%7B%7D`)).toBe('system.ping,metrics.panel');
    expect(directQueryPath('GET', `/api/trpc/system.ping%2Cmetrics.panel?batch=1`)).toBe('system.ping,metrics.panel');
  });

  it('leaves mutations, subscriptions, other methods and unknown paths to the Next route', () => {
    expect(directQueryPath('POST', '/api/trpc/system.ping')).toBeNull();
    expect(directQueryPath('HEAD', '/api/trpc/system.ping')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/actions.execute')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/metrics.explore')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/system.clock')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/system.ping,system.clock?batch=1')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/no.such')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/')).toBeNull();
    expect(directQueryPath('GET', '/api/trpc/%E0%A4%A?x')).toBeNull();
    expect(directQueryPath('GET', '/api/health')).toBeNull();
    expect(directQueryPath('GET', '/api/trpcx/system.ping')).toBeNull();
    expect(directQueryPath(undefined, undefined)).toBeNull();
  });
});
