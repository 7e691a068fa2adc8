import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { authStatus } from '@/server/auth/account';
import { resolveUser } from '@/server/auth/resolve-user';
import { roles } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

const roleSummary = {
  viewer: 'reads everything, changes nothing',
  operator: 'scales, restarts, deploys, rolls back',
  admin: 'also settings, budgets, replica bounds',
} as const;

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ returnTo?: string }>;
}): Promise<ReactNode> {
  const { returnTo = '/' } = await searchParams;
  const status = authStatus(await resolveUser(await headers()));
  return (
    <div className="stack" style={{ maxWidth: 560 }}>
      <h1>Sign in</h1>
      {status.user && !status.anonymous ? (
        <div className="card stack" aria-label="Signed in">
          <p>
            Signed in as <strong>{status.user.name}</strong> ({status.user.role}).
          </p>
          <form method="post" action="/api/auth/sign-out" style={{ display: 'flex', gap: 8 }}>
            <button type="submit" className="button">
              Sign out
            </button>
            <button type="submit" className="button" name="everywhere" value="1">
              Sign out everywhere
            </button>
          </form>
        </div>
      ) : null}
      {status.mode === 'demo' ? (
        <div className="card stack" aria-label="Demo users">
          <p className="muted">The demo has one built-in user per role. Pick one:</p>
          {roles.map((role) => (
            <form key={role} method="post" action="/api/auth/demo">
              <input type="hidden" name="role" value={role} />
              <input type="hidden" name="returnTo" value={returnTo} />
              <button type="submit" className="button">
                Sign in as demo-{role}
              </button>{' '}
              <span className="small muted">{roleSummary[role]}</span>
            </form>
          ))}
        </div>
      ) : null}
      {status.mode === 'oidc' ? (
        <a className="button" href={`/api/auth/oidc?returnTo=${encodeURIComponent(returnTo)}`}>
          Sign in with your identity provider
        </a>
      ) : null}
      {status.mode === 'proxy' ? <p>Sign-in happens at the authenticating proxy in front of Burnrate.</p> : null}
      {status.mode === null ? (
        <p className="error-text">No sign-in is configured: set BURNRATE_AUTH to oidc, proxy or demo.</p>
      ) : null}
    </div>
  );
}
