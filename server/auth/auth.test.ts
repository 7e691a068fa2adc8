import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from '@/lib/http-security';
import { parseConfig } from '@/server/config/load';
import { addressInRange, proxyAuthConfig, resolveProxyUser } from './proxy-auth';
import { roleForGroups, type RoleMapping } from './role-mapping';
import { safeReturnTo } from './oidc';
import { signValue, verifySignedValue } from './secret';

const mapping: RoleMapping = {
  groups: { 'platform-admins': 'admin', sre: 'operator', everyone: 'viewer' },
  defaultRole: null,
};

describe('role mapping', () => {
  it('takes the highest role of the mapped groups, else the default', () => {
    expect(roleForGroups(['everyone', 'sre'], mapping)).toBe('operator');
    expect(roleForGroups(['platform-admins', 'sre'], mapping)).toBe('admin');
    expect(roleForGroups(['strangers'], mapping)).toBeNull();
    expect(roleForGroups(['strangers'], { ...mapping, defaultRole: 'viewer' })).toBe('viewer');
  });
});

describe('proxy mode', () => {
  const config = { ...proxyAuthConfig(parseConfig({})), allowedPeers: ['10.0.0.0/24', '::1/128'] };
  const headers = new Headers({
    'x-forwarded-user': 'alice',
    'x-forwarded-groups': 'everyone,sre',
    'x-forwarded-email': 'alice@example.com',
  });

  it('accepts the headers from an allowed address', () => {
    expect(resolveProxyUser(headers, '10.0.0.7', config, mapping)).toEqual({
      ok: true,
      user: {
        id: 'proxy:alice',
        name: 'alice@example.com',
        role: 'operator',
        provider: 'proxy',
        groups: ['everyone', 'sre'],
      },
    });
    expect(resolveProxyUser(headers, '::ffff:10.0.0.9', config, mapping).ok).toBe(true);
    expect(resolveProxyUser(headers, '::1', config, mapping).ok).toBe(true);
  });

  it('refuses the same headers from anywhere else, or with no trusted peer', () => {
    expect(resolveProxyUser(headers, '10.0.1.7', config, mapping)).toEqual({ ok: false, reason: 'untrusted-peer' });
    expect(resolveProxyUser(headers, '192.168.0.10', config, mapping)).toEqual({ ok: false, reason: 'untrusted-peer' });
    expect(resolveProxyUser(headers, undefined, config, mapping)).toEqual({ ok: false, reason: 'untrusted-peer' });
    expect(
      resolveProxyUser(
        new Headers({ 'x-forwarded-user': 'bob', 'x-forwarded-groups': 'strangers' }),
        '10.0.0.7',
        config,
        mapping,
      ),
    ).toEqual({ ok: false, reason: 'no-role' });
  });

  it('matches CIDR ranges bit by bit', () => {
    expect(addressInRange('10.0.0.255', '10.0.0.0/24')).toBe(true);
    expect(addressInRange('10.0.1.0', '10.0.0.0/24')).toBe(false);
    expect(addressInRange('fd00::1', 'fd00::/8')).toBe(true);
    expect(addressInRange('fe80::1', 'fd00::/8')).toBe(false);
    expect(addressInRange('10.0.0.1', '::1/128')).toBe(false);
  });
});

describe('cross-site requests', () => {
  const post = (headers: Record<string, string>): Request =>
    new Request('http://127.0.0.1:3000/api/trpc/actions.apply', {
      method: 'POST',
      headers: { host: '127.0.0.1:3000', ...headers },
    });

  it('refuses a POST whose Origin is another site', () => {
    expect(crossSiteRefusal(post({ origin: 'https://evil.example' }))).toMatch(/not this site/);
    expect(crossSiteRefusal(post({ origin: 'null' }))).toMatch(/opaque/);
    expect(crossSiteRefusal(post({ 'sec-fetch-site': 'cross-site' }))).toMatch(/cross-site/);
  });

  it('lets same-origin POSTs, non-browser clients and GETs through', () => {
    expect(crossSiteRefusal(post({ origin: 'http://127.0.0.1:3000' }))).toBeUndefined();
    expect(crossSiteRefusal(post({}))).toBeUndefined();
    expect(
      crossSiteRefusal(
        new Request('http://127.0.0.1:3000/api/health', { headers: { origin: 'https://evil.example' } }),
      ),
    ).toBeUndefined();
  });
});

describe('sign-in helpers', () => {
  it('only returns to paths of this app', () => {
    expect(safeReturnTo('/serving?cluster=a')).toBe('/serving?cluster=a');
    expect(safeReturnTo('//evil.example/')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('https://evil.example')).toBe('/');
  });

  it('rejects a tampered signed cookie', () => {
    const secret = 'x'.repeat(32);
    const signed = signValue('{"state":"a"}', secret);
    expect(verifySignedValue(signed, secret)).toBe('{"state":"a"}');
    expect(verifySignedValue(signed.replace(/^./, 'Z'), secret)).toBeUndefined();
    expect(verifySignedValue(signed, 'y'.repeat(32))).toBeUndefined();
  });
});
