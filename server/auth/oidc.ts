import 'server-only';
import * as client from 'openid-client';
import { z } from 'zod';
import { appConfig, type AppConfig } from '@/server/config';
import { DomainError } from '@/server/errors';
import { roleForGroups, type RoleMapping } from './role-mapping';
import { signValue, verifySignedValue } from './secret';
import type { SignInIdentity } from '@/server/db/audit-sessions';

export const OIDC_TRANSACTION_COOKIE = 'burnrate_oidc_tx';
export const OIDC_TRANSACTION_TTL_SECONDS = 600;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Absolute URL of /api/auth/oidc/callback as the issuer knows it. */
  redirectUri: string;
  scopes: string;
  groupsClaim: string;
}

export function oidcSettings(config: AppConfig = appConfig()): OidcSettings {
  const issuer = config.oidcIssuer;
  const clientId = config.oidcClientId;
  const publicUrl = config.publicUrl;
  if (!issuer || !clientId || !publicUrl) {
    throw new DomainError(
      'UPSTREAM_UNAVAILABLE',
      'OIDC sign-in needs BURNRATE_OIDC_ISSUER, BURNRATE_OIDC_CLIENT_ID and BURNRATE_PUBLIC_URL.',
      'auth configuration',
    );
  }
  return {
    issuer,
    clientId,
    clientSecret: config.oidcClientSecret,
    redirectUri: new URL('/api/auth/oidc/callback', publicUrl).toString(),
    scopes: config.oidcScopes,
    groupsClaim: config.oidcGroupsClaim,
  };
}

const configurations = new Map<string, Promise<client.Configuration>>();

async function configurationOf(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`;
  let pending = configurations.get(key);
  if (!pending) {
    const issuerUrl = new URL(settings.issuer);
    // Plain http only for an issuer on this machine (a test or a local Dex), never over a network.
    const local = issuerUrl.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuerUrl.hostname);
    pending = client
      .discovery(
        issuerUrl,
        settings.clientId,
        settings.clientSecret,
        undefined,
        local ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        configurations.delete(key);
        throw new DomainError(
          'UPSTREAM_UNAVAILABLE',
          `The OIDC issuer did not answer discovery: ${(error as Error).message}`,
          settings.issuer,
          { cause: error },
        );
      });
    configurations.set(key, pending);
  }
  return pending;
}

const transactionSchema = z.object({
  verifier: z.string(),
  state: z.string(),
  nonce: z.string(),
  returnTo: z.string(),
  expiresAtMs: z.number(),
});

/** Where to send the browser, and the signed cookie that remembers the PKCE verifier, state and nonce. */
export async function beginOidcSignIn(
  settings: OidcSettings,
  returnTo: string,
  nowMs = Date.now(),
): Promise<{ url: URL; transactionCookie: string }> {
  const config = await configurationOf(settings);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: settings.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const transaction = {
    verifier,
    state,
    nonce,
    returnTo: safeReturnTo(returnTo),
    expiresAtMs: nowMs + OIDC_TRANSACTION_TTL_SECONDS * 1000,
  };
  return { url, transactionCookie: signValue(JSON.stringify(transaction)) };
}

/** Only paths of this app: an open redirect after sign-in would be a phishing aid. */
export function safeReturnTo(returnTo: string | null | undefined): string {
  return returnTo && /^\/(?![/\\])/.test(returnTo) ? returnTo : '/';
}

/** Exchanges the code (checking PKCE, state and nonce) and maps the groups claim to a role. */
export async function completeOidcSignIn(
  settings: OidcSettings,
  callbackUrl: URL,
  transactionCookie: string | undefined,
  mapping: RoleMapping,
  nowMs = Date.now(),
): Promise<{ identity: SignInIdentity; returnTo: string }> {
  const payload = transactionCookie ? verifySignedValue(transactionCookie) : undefined;
  const parsed = payload ? transactionSchema.safeParse(JSON.parse(payload)) : undefined;
  if (!parsed?.success || parsed.data.expiresAtMs < nowMs) {
    throw new DomainError(
      'UNAUTHENTICATED',
      'The sign-in took too long or was started in another browser: start again.',
      'OIDC callback',
    );
  }
  const transaction = parsed.data;
  const config = await configurationOf(settings);
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: transaction.verifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    });
    const idClaims: Record<string, unknown> = { ...tokens.claims() };
    claims = { ...idClaims };
    if (claims[settings.groupsClaim] === undefined && typeof idClaims.sub === 'string') {
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...claims };
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      'UNAUTHENTICATED',
      `The OIDC issuer refused the sign-in: ${(error as Error).message}`,
      settings.issuer,
      { cause: error },
    );
  }
  const subject = z.string().min(1).parse(claims.sub);
  const rawGroups = claims[settings.groupsClaim];
  const groups = Array.isArray(rawGroups)
    ? rawGroups.filter((g): g is string => typeof g === 'string')
    : typeof rawGroups === 'string'
      ? [rawGroups]
      : [];
  const role = roleForGroups(groups, mapping);
  if (!role) {
    throw new DomainError(
      'FORBIDDEN',
      `None of your groups (${groups.join(', ') || 'none'}) has a Burnrate role; ask an admin to map one.`,
      'sign-in',
    );
  }
  const email = typeof claims.email === 'string' ? claims.email : undefined;
  const name = typeof claims.name === 'string' ? claims.name : (email ?? subject);
  return { identity: { provider: 'oidc', subject, name, email, groups, role }, returnTo: transaction.returnTo };
}
