import 'server-only';
import { z } from 'zod';
import { getDatabase } from '@/server/db/client';
import { DomainError } from '@/server/errors';
import { isHttps } from '@/lib/http-security';
import { cookieValue, serializeCookie } from './cookies';
import { demoIdentity } from './demo-users';
import {
  beginOidcSignIn,
  completeOidcSignIn,
  OIDC_TRANSACTION_COOKIE,
  OIDC_TRANSACTION_TTL_SECONDS,
  oidcSettings,
  safeReturnTo,
} from './oidc';
import { currentRoleMapping, resolveUser, SESSION_COOKIE } from './resolve-user';
import { authMode, roleSchema } from './session';
import {
  createSession,
  deleteSession,
  deleteUserSessions,
  SESSION_TTL_MS,
  type SignInIdentity,
} from '@/server/db/audit-sessions';

function redirect(request: Request, location: string, cookies: string[]): Response {
  const headers = new Headers({ location: safeReturnTo(location) });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

async function openSession(request: Request, identity: SignInIdentity): Promise<string> {
  const { db } = await getDatabase();
  const { token } = await createSession(db, identity, { userAgent: request.headers.get('user-agent') });
  return serializeCookie(SESSION_COOKIE, token, {
    maxAgeSeconds: SESSION_TTL_MS / 1000,
    secure: isHttps(request),
    sameSite: 'Lax',
  });
}

const demoFormSchema = z.object({ role: roleSchema, returnTo: z.string().optional() });

/** POST /api/auth/demo: the one-click switch between the demo's built-in users. */
export async function handleDemoSignIn(request: Request): Promise<Response> {
  if (authMode() !== 'demo')
    throw new DomainError('NOT_FOUND', 'Demo sign-in exists only when Burnrate runs as the demo.');
  const form = demoFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success)
    throw new DomainError('BAD_INPUT', 'Pick one of the demo users: viewer, operator or admin.', 'role');
  const previous = cookieValue(request.headers.get('cookie'), SESSION_COOKIE);
  if (previous) await deleteSession((await getDatabase()).db, previous);
  const cookie = await openSession(request, demoIdentity(form.data.role));
  return redirect(request, safeReturnTo(form.data.returnTo), [cookie]);
}

/** GET /api/auth/oidc?returnTo=/path: off to the issuer with PKCE. */
export async function handleOidcStart(request: Request): Promise<Response> {
  if (authMode() !== 'oidc') throw new DomainError('NOT_FOUND', 'OIDC sign-in is not configured (BURNRATE_AUTH=oidc).');
  const returnTo = new URL(request.url).searchParams.get('returnTo') ?? '/';
  const { url, transactionCookie } = await beginOidcSignIn(oidcSettings(), returnTo);
  const cookie = serializeCookie(OIDC_TRANSACTION_COOKIE, transactionCookie, {
    maxAgeSeconds: OIDC_TRANSACTION_TTL_SECONDS,
    secure: isHttps(request),
    sameSite: 'Lax',
    path: '/api/auth/oidc',
  });
  return new Response(null, { status: 303, headers: { location: url.toString(), 'set-cookie': cookie } });
}

/** GET /api/auth/oidc/callback: the issuer sends the browser back with a code. */
export async function handleOidcCallback(request: Request): Promise<Response> {
  if (authMode() !== 'oidc') throw new DomainError('NOT_FOUND', 'OIDC sign-in is not configured (BURNRATE_AUTH=oidc).');
  const settings = oidcSettings();
  // The issuer redirected to the public URL; rebuild it from there so the check matches redirect_uri.
  const incoming = new URL(request.url);
  const callbackUrl = new URL(settings.redirectUri);
  callbackUrl.search = incoming.search;
  const { identity, returnTo } = await completeOidcSignIn(
    settings,
    callbackUrl,
    cookieValue(request.headers.get('cookie'), OIDC_TRANSACTION_COOKIE),
    await currentRoleMapping(),
  );
  const session = await openSession(request, identity);
  const clearTransaction = serializeCookie(OIDC_TRANSACTION_COOKIE, '', {
    maxAgeSeconds: 0,
    secure: isHttps(request),
    sameSite: 'Lax',
    path: '/api/auth/oidc',
  });
  return redirect(request, returnTo, [session, clearTransaction]);
}

/** POST /api/auth/sign-out (form field `everywhere=1` ends every session of the person). */
export async function handleSignOut(request: Request): Promise<Response> {
  const { db } = await getDatabase();
  const form = await request.formData().catch(() => new FormData());
  const token = cookieValue(request.headers.get('cookie'), SESSION_COOKIE);
  if (form.get('everywhere') === '1') {
    const user = await resolveUser(request.headers);
    if (user && user.provider !== 'proxy') await deleteUserSessions(db, user.id);
  }
  if (token) await deleteSession(db, token);
  const cleared = serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: isHttps(request), sameSite: 'Lax' });
  return redirect(request, '/sign-in', [cleared]);
}
