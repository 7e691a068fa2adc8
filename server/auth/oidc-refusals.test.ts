// OIDC sign-in refusals against a real issuer: a request without PKCE, a tampered state (URL or
// cookie), a missing or foreign PKCE verifier; none of them opens a session.
import { describe, expect, it } from 'vitest';
import { testDrivers } from '@/server/db/testing';
import { OIDC_TRANSACTION_COOKIE } from './oidc';
import { SESSION_COOKIE } from './resolve-user';
import { signValue, verifySignedValue } from './secret';
import {
  authorize,
  CLIENT,
  newBrowser,
  SESSION_SECRET,
  oidcIssuerPerFile,
  sessionDatabasePerSuite,
} from './testing/oidc-sign-in';
import { redirectTarget } from './testing/test-browser';

const issuer = oidcIssuerPerFile();

describe('the test issuer', () => {
  it('refuses an authorization request without a PKCE challenge', async () => {
    const url = new URL('/auth', issuer().issuer);
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

describe.each(await testDrivers())('OIDC sign-in refusals with sessions on %s', (driver) => {
  const { sessionsOf } = sessionDatabasePerSuite(driver);

  it('refuses a tampered state (in the URL or the cookie) and creates no session', async () => {
    const browser = newBrowser();
    const callback = await authorize(browser, 'money');
    const before = await sessionsOf('money');

    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const tokenRequests = (): number => issuer().requests.filter((request) => request === 'POST /token').length;
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
    expect(issuer().requests.at(-1)).toBe('POST /token');

    expect(await sessionsOf('ops')).toEqual(before);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
  });
});
