import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appConfig } from '@/server/config';
import { DomainError } from '@/server/errors';

let generated: string | undefined;

/**
 * Signs the short-lived OIDC sign-in cookie. Required in oidc mode (all replicas must share it);
 * the demo may use a per-process random one.
 */
export function sessionSecret(): string {
  const config = appConfig();
  if (config.sessionSecret) return config.sessionSecret;
  if (config.authMode === 'oidc') {
    throw new DomainError(
      'UPSTREAM_UNAVAILABLE',
      'BURNRATE_SESSION_SECRET must be set (32 characters or more) for OIDC sign-in.',
      'auth configuration',
    );
  }
  generated ??= randomBytes(32).toString('base64url');
  return generated;
}

export function signValue(payload: string, secret = sessionSecret()): string {
  const mac = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${Buffer.from(payload).toString('base64url')}.${mac}`;
}

export function verifySignedValue(signed: string, secret = sessionSecret()): string | undefined {
  const [body, mac] = signed.split('.');
  if (!body || !mac) return undefined;
  const payload = Buffer.from(body, 'base64url').toString();
  const expected = createHmac('sha256', secret).update(payload).digest('base64url');
  if (expected.length !== mac.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(mac))) return undefined;
  return payload;
}
