// Shared setup of the OIDC sign-in tests: a real issuer (oidc-provider on a loopback port) with
// three accounts, the environment that points Burnrate at it, Burnrate's route handlers behind a
// scripted browser, and a sessions database per driver.
import { afterAll, beforeAll, expect } from 'vitest';
import { GET as oidcStartRoute } from '@/app/api/auth/oidc/route';
import { GET as oidcCallbackRoute } from '@/app/api/auth/oidc/callback/route';
import { POST as signOutRoute } from '@/app/api/auth/sign-out/route';
import { sessions, users } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@/server/db/testing';
import { SESSION_COOKIE } from '../resolve-user';
import { useAsProcessDatabase } from './process-database';
import { redirectTarget, TestBrowser } from './test-browser';
import { startTestIssuer, type TestAccount, type TestIssuer } from './test-issuer';

export const APP_ORIGIN = 'http://localhost:3000';
const CALLBACK_PATH = '/api/auth/oidc/callback';
export const CLIENT = {
  clientId: 'burnrate',
  clientSecret: 'burnrate-test-client-secret',
  redirectUri: `${APP_ORIGIN}${CALLBACK_PATH}`,
};
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef';

export const accounts: Record<string, TestAccount> = {
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
export const newBrowser = (): TestBrowser => new TestBrowser(APP_ORIGIN, appRoutes);

/** Start at Burnrate, through the issuer's login and consent pages; stops before the callback. */
export async function authorize(
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

export async function signIn(browser: TestBrowser, accountId: string): Promise<Response> {
  return browser.request(await authorize(browser, accountId));
}

export const cookieHeaderOf = (browser: TestBrowser): Headers =>
  new Headers({ cookie: `${SESSION_COOKIE}=${browser.cookie(SESSION_COOKIE)?.value ?? ''}` });

/** Starts the issuer before the file's tests and points Burnrate's OIDC settings at it; undoes both after. */
export function oidcIssuerPerFile(): () => TestIssuer {
  const savedEnv = { ...process.env };
  let issuer: TestIssuer | undefined;
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
    await issuer?.close();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });
  return () => {
    if (!issuer) throw new Error('the test issuer is not started yet (use it inside a test)');
    return issuer;
  };
}

export interface SessionDatabase {
  database: () => TestDatabase;
  sessionsOf: (accountId: string) => Promise<(typeof sessions.$inferSelect)[]>;
  userRow: (accountId: string) => Promise<typeof users.$inferSelect | undefined>;
}

/** A fresh database on `driver` that the route handlers use as the process's database, for the enclosing describe. */
export function sessionDatabasePerSuite(driver: TestDriver): SessionDatabase {
  let database: TestDatabase | undefined;
  let restoreDatabase: () => void = () => {};
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    restoreDatabase = useAsProcessDatabase(database);
  });
  afterAll(async () => {
    restoreDatabase();
    await database?.destroy();
  });
  const current = (): TestDatabase => {
    if (!database) throw new Error('the test database is not created yet (use it inside a test)');
    return database;
  };
  // Filtered here rather than in SQL: drizzle operators stay inside server/db (lint rule).
  return {
    database: current,
    sessionsOf: async (accountId) =>
      (await current().db.select().from(sessions)).filter((row) => row.userId === `oidc:${accountId}`),
    userRow: async (accountId) =>
      (await current().db.select().from(users)).find((row) => row.id === `oidc:${accountId}`),
  };
}
