// OIDC sign-in end to end against a real issuer (oidc-provider on a loopback port): Burnrate's
// route handlers, a scripted browser with a cookie jar, and sessions in PGlite and Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as oidcStartRoute } from '@/app/api/auth/oidc/route';
import { GET as oidcCallbackRoute } from '@/app/api/auth/oidc/callback/route';
import { POST as signOutRoute } from '@/app/api/auth/sign-out/route';
import { ROLE_MAPPING_SETTING } from './role-mapping';
import { configuredRoleMapping, resolveUser, SESSION_COOKIE } from './resolve-user';
import { OIDC_TRANSACTION_COOKIE } from './oidc';
import { signValue, verifySignedValue } from './secret';
import { writeSetting } from '@/server/db/settings';
import { sessions, users } from '@/server/db/schema';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { useAsProcessDatabase } from './testing/process-database';
import { redirectTarget, TestBrowser } from './testing/test-browser';
import { startTestIssuer, type TestAccount, type TestIssuer } from './testing/test-issuer';

const APP_ORIGIN = 'http://localhost:3000';
const CALLBACK_PATH = '/api/auth/oidc/callback';
const CLIENT = {
  clientId: 'burnrate',
  clientSecret: 'burnrate-test-client-secret',
  redirectUri: `${APP_ORIGIN}${CALLBACK_PATH}`,
};
const SESSION_SECRET = 'test-session-secret-0123456789abcdef';

const accounts: Record<string, TestAccount> = {
  ops: { email: 'ops@example.com', name: 'Olga Ops', groups: ['platform-operators', 'everyone'] },
  money: { email: 'money@example.com', name: 'Fin Ops', groups: ['finops-admins', 'platform-operators'] },
  nobody: { email: 'nobody@example.com', name: 'No Body', groups: [] },
};

const noParams = { params: Promise.resolve({}) };
const appRoutes = {
  [`GET /api/auth/oidc`]: (request: Request) => oidcStartRoute(request, noParams),
  [`GET ${CALLBACK_PATH}`]: (request: Request) => oidcCallbackRoute(request, noParams),
  [`POST /api/auth/sign-out`]: (request: Request) => signOutRoute(request, noParams),
};
const newBrowser = (): TestBrowser => new TestBrowser(APP_ORIGIN, appRoutes);

/** Start at Burnrate, through the issuer's login and consent pages; stops before the callback. */
async function authorize(
  browser: TestBrowser,
  accountId: string,
  returnTo = '/serving?cluster=us-east-prod',
): Promise<URL> {
  let url = new URL(`/api/auth/oidc?returnTo=${encodeURIComponent(returnTo)}`, APP_ORIGIN);
  let response = await browser.request(url);
  if (response.status !== 303) throw new Error(`sign-in did not start: ${response.status} ${await response.text()}`);
  for (let hop = 0; hop < 12; hop++) {
    if (response.status === 200 && url.pathname.startsWith('/interaction/')) {
      expect(await response.text()).toContain('<form method="post"');
      response = await browser.request(url, { form: { login: accountId } });
      continue;
    }
    const next = redirectTarget(response, url);
    if (next.origin === APP_ORIGIN && next.pathname === CALLBACK_PATH) return next;
    url = next;
    response = await browser.request(url);
  }
  throw new Error(`no callback after 12 hops (last at ${url.href})`);
}

async function signIn(browser: TestBrowser, accountId: string): Promise<Response> {
  return browser.request(await authorize(browser, accountId));
}

const cookieHeaderOf = (browser: TestBrowser): Headers =>
  new Headers({ cookie: `${SESSION_COOKIE}=${browser.cookie(SESSION_COOKIE)?.value ?? ''}` });

const savedEnv = { ...process.env };
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer({ ...CLIENT, accounts });
  Object.assign(process.env, {
    BURNRATE_AUTH: 'oidc',
    BURNRATE_OIDC_ISSUER: issuer.issuer,
    BURNRATE_OIDC_CLIENT_ID: CLIENT.clientId,
    BURNRATE_OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    BURNRATE_PUBLIC_URL: APP_ORIGIN,
    BURNRATE_SESSION_SECRET: SESSION_SECRET,
    BURNRATE_ROLE_GROUPS: 'platform-operators=operator, finops-admins=admin',
    BURNRATE_DEFAULT_ROLE: 'viewer',
  });
  delete process.env.BURNRATE_OIDC_SCOPES;
  delete process.env.BURNRATE_OIDC_GROUPS_CLAIM;
});

afterAll(async () => {
  await issuer.close();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe('the test issuer', () => {
  it('refuses an authorization request without a PKCE challenge', async () => {
    const url = new URL('/auth', issuer.issuer);
    url.search = new URLSearchParams({
      client_id: CLIENT.clientId,
      redirect_uri: CLIENT.redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 's',
    }).toString();
    const back = redirectTarget(await fetch(url, { redirect: 'manual' }), url);
    expect(back.origin + back.pathname).toBe(CLIENT.redirectUri);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });
});

describe.each(await testDrivers())('OIDC sign-in with sessions on %s', (driver) => {
  let database: TestDatabase;
  let restoreDatabase: () => void;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    restoreDatabase = useAsProcessDatabase(database);
  });
  afterAll(async () => {
    restoreDatabase();
    await database.destroy();
  });

  // Filtered here rather than in SQL: drizzle operators stay inside server/db (lint rule).
  const sessionsOf = async (accountId: string) =>
    (await database.db.select().from(sessions)).filter((row) => row.userId === `oidc:${accountId}`);
  const userRow = async (accountId: string) =>
    (await database.db.select().from(users)).find((row) => row.id === `oidc:${accountId}`);

  it('maps the groups claim to a role and opens an HttpOnly database session', async () => {
    const expected = { ops: 'operator', money: 'admin', nobody: 'viewer' } as const;
    const userinfoCalls = (): number => issuer.requests.filter((request) => request === 'GET /me').length;
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

  it('refuses a tampered state (in the URL or the cookie) and creates no session', async () => {
    const browser = newBrowser();
    const callback = await authorize(browser, 'money');
    const before = await sessionsOf('money');

    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const tokenRequests = (): number => issuer.requests.filter((request) => request === 'POST /token').length;
    const tokenRequestsBefore = tokenRequests();
    const refused = await browser.request(tampered);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    // Refused on the state check itself: the code never reached the issuer's token endpoint.
    expect(tokenRequests()).toBe(tokenRequestsBefore);

    // The state in URL and cookie agree, but the cookie's signature is not over this state.
    const genuine = decodeURIComponent(browser.cookie(OIDC_TRANSACTION_COOKIE)?.value ?? '');
    const transaction = JSON.parse(verifySignedValue(genuine, SESSION_SECRET) ?? '{}') as { state: string };
    const edited = Buffer.from(JSON.stringify({ ...transaction, state: 'attacker-chosen' })).toString('base64url');
    browser.setCookieValue(OIDC_TRANSACTION_COOKIE, `${edited}.${genuine.split('.')[1]}`);
    tampered.searchParams.set('state', 'attacker-chosen');
    expect((await browser.request(tampered)).status).toBe(401);
    expect(tokenRequests()).toBe(tokenRequestsBefore);
    expect(await sessionsOf('money')).toEqual(before);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();

    // The same code with the untouched cookie goes through: the refusals were the tampering.
    browser.setCookieValue(OIDC_TRANSACTION_COOKIE, genuine);
    expect((await browser.request(callback)).status).toBe(303);
    expect(await sessionsOf('money')).toHaveLength(before.length + 1);
  });

  it('refuses a callback without the PKCE verifier or with another one', async () => {
    const browser = newBrowser();
    const callback = await authorize(browser, 'ops');
    const before = await sessionsOf('ops');
    const genuine = decodeURIComponent(browser.cookie(OIDC_TRANSACTION_COOKIE)?.value ?? '');
    const transaction = JSON.parse(verifySignedValue(genuine, SESSION_SECRET) ?? '{}') as Record<string, unknown>;
    expect(transaction.verifier).toEqual(expect.any(String));

    browser.removeCookie(OIDC_TRANSACTION_COOKIE);
    expect((await browser.request(callback)).status).toBe(401);

    const { verifier: _dropped, ...withoutVerifier } = transaction;
    browser.setCookieValue(OIDC_TRANSACTION_COOKIE, signValue(JSON.stringify(withoutVerifier), SESSION_SECRET));
    expect((await browser.request(callback)).status).toBe(401);

    // Signed correctly, so only the issuer's PKCE check can refuse it.
    browser.setCookieValue(
      OIDC_TRANSACTION_COOKIE,
      signValue(JSON.stringify({ ...transaction, verifier: 'x'.repeat(43) }), SESSION_SECRET),
    );
    const wrongVerifier = await browser.request(callback);
    expect(wrongVerifier.status).toBe(401);
    expect(await wrongVerifier.json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/issuer refused/) },
    });
    expect(issuer.requests.at(-1)).toBe('POST /token');

    expect(await sessionsOf('ops')).toEqual(before);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
  });

  it('prefers the admin-edited mapping in settings, and refuses people it gives no role', async () => {
    await writeSetting(
      database.db,
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
      await writeSetting(database.db, ROLE_MAPPING_SETTING, configuredRoleMapping(), 'admin@example.com');
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
      process.env.BURNRATE_OIDC_ISSUER = issuer.issuer;
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
