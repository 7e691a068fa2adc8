// OIDC sign-in end to end against a real issuer (oidc-provider on a loopback port): Burnrate's
// route handlers, a scripted browser with a cookie jar, and sessions in PGlite and Postgres.
import { describe, expect, it } from 'vitest';
import { writeSetting } from '@/server/db/settings';
import { testDrivers } from '@/server/db/testing';
import { OIDC_TRANSACTION_COOKIE } from './oidc';
import { configuredRoleMapping, resolveUser, SESSION_COOKIE } from './resolve-user';
import { ROLE_MAPPING_SETTING } from './role-mapping';
import {
  accounts,
  APP_ORIGIN,
  CLIENT,
  cookieHeaderOf,
  newBrowser,
  signIn,
  oidcIssuerPerFile,
  sessionDatabasePerSuite,
} from './testing/oidc-sign-in';
import { startTestIssuer } from './testing/test-issuer';

const issuer = oidcIssuerPerFile();

describe.each(await testDrivers())('OIDC sign-in with sessions on %s', (driver) => {
  const { database, sessionsOf, userRow } = sessionDatabasePerSuite(driver);

  it('maps the groups claim to a role and opens an HttpOnly database session', async () => {
    const expected = { ops: 'operator', money: 'admin', nobody: 'viewer' } as const;
    const userinfoCalls = (): number => issuer().requests.filter((request) => request === 'GET /me').length;
    const userinfoBefore = userinfoCalls();
    for (const [accountId, role] of Object.entries(expected)) {
      const browser = newBrowser();
      const response = await signIn(browser, accountId);
      expect(response.status, await response.clone().text()).toBe(303);
      expect(response.headers.get('location')).toBe('/serving?cluster=us-east-prod');

      const cookie = browser.cookie(SESSION_COOKIE);
      expect(cookie?.attributes).toEqual(
        expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'max-age=43200']),
      );
      expect(cookie?.attributes).not.toContain('secure');
      expect(browser.cookie(OIDC_TRANSACTION_COOKIE)).toBeUndefined();

      expect(await userRow(accountId)).toMatchObject({
        provider: 'oidc',
        subject: accountId,
        email: accounts[accountId]?.email,
        name: accounts[accountId]?.name,
        role,
        groups: accounts[accountId]?.groups,
      });
      const rows = await sessionsOf(accountId);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.tokenHash).not.toBe(cookie?.value);
      expect(rows[0]?.userAgent).toBe(browser.userAgent);
      expect(await resolveUser(cookieHeaderOf(browser))).toEqual({
        id: `oidc:${accountId}`,
        name: accounts[accountId]?.email,
        role,
        provider: 'oidc',
        groups: accounts[accountId]?.groups,
      });
    }
    // This issuer follows the spec: scope claims only at userinfo, so Burnrate had to ask there.
    expect(userinfoCalls() - userinfoBefore).toBe(3);
  });

  it('prefers the admin-edited mapping in settings, and refuses people it gives no role', async () => {
    await writeSetting(
      database().db,
      ROLE_MAPPING_SETTING,
      { groups: { 'platform-operators': 'admin' }, defaultRole: null },
      'admin@example.com',
    );
    try {
      expect((await signIn(newBrowser(), 'ops')).status).toBe(303);
      expect((await userRow('ops'))?.role).toBe('admin');

      const before = await sessionsOf('nobody');
      const refused = await signIn(newBrowser(), 'nobody');
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({
        error: { code: 'FORBIDDEN', message: expect.stringMatching(/none/) },
      });
      expect(await sessionsOf('nobody')).toEqual(before);
    } finally {
      // Back to what the environment seeds, as the other tests expect.
      await writeSetting(database().db, ROLE_MAPPING_SETTING, configuredRoleMapping(), 'admin@example.com');
    }
  });

  it('reads the groups from the ID token when the issuer puts them there', async () => {
    const idTokenIssuer = await startTestIssuer({ ...CLIENT, accounts, claimsInIdToken: true });
    process.env.BURNRATE_OIDC_ISSUER = idTokenIssuer.issuer;
    try {
      const browser = newBrowser();
      expect((await signIn(browser, 'money')).status).toBe(303);
      expect(await resolveUser(cookieHeaderOf(browser))).toMatchObject({
        id: 'oidc:money',
        role: 'admin',
        groups: ['finops-admins', 'platform-operators'],
      });
      expect(idTokenIssuer.requests).toContain('POST /token');
      expect(idTokenIssuer.requests).not.toContain('GET /me');
    } finally {
      process.env.BURNRATE_OIDC_ISSUER = issuer().issuer;
      await idTokenIssuer.close();
    }
  });

  it('signs the person out of every browser, and nobody else', async () => {
    const laptop = newBrowser();
    const phone = newBrowser();
    const colleague = newBrowser();
    for (const [browser, accountId] of [
      [laptop, 'ops'],
      [phone, 'ops'],
      [colleague, 'money'],
    ] as const) {
      expect((await signIn(browser, accountId)).status).toBe(303);
    }
    expect((await sessionsOf('ops')).length).toBeGreaterThanOrEqual(2);
    const colleagueSessions = await sessionsOf('money');

    const response = await laptop.request(new URL('/api/auth/sign-out', APP_ORIGIN), { form: { everywhere: '1' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in');
    expect(laptop.cookie(SESSION_COOKIE)).toBeUndefined();

    expect(await sessionsOf('ops')).toEqual([]);
    expect(await resolveUser(cookieHeaderOf(phone))).toBeNull();
    expect(await sessionsOf('money')).toEqual(colleagueSessions);
    expect(await resolveUser(cookieHeaderOf(colleague))).toMatchObject({ id: 'oidc:money' });
  });
});
