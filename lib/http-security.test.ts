import { describe, expect, it } from 'vitest';
import { isHttps, reachedOverHttps } from './http-security';

describe('reached over https', () => {
  it("believes a proxy's first x-forwarded-proto, else the connection", () => {
    expect(reachedOverHttps('https', false)).toBe(true);
    expect(reachedOverHttps('https, http', false)).toBe(true);
    expect(reachedOverHttps('http', true)).toBe(false);
    expect(reachedOverHttps(undefined, true)).toBe(true);
    expect(reachedOverHttps(null, false)).toBe(false);
    expect(reachedOverHttps('', true)).toBe(true);
  });

  it('reads a Fetch request the same way (proxy.ts, route handlers, auth cookies)', () => {
    expect(isHttps(new Request('http://app/x', { headers: { 'x-forwarded-proto': 'https' } }))).toBe(true);
    expect(isHttps(new Request('https://app/x'))).toBe(true);
    expect(isHttps(new Request('http://app/x'))).toBe(false);
  });
});
