// Response headers every answer of the app carries: set by proxy.ts for what Next.js serves, and by
// the direct tRPC query entry (server/trpc/direct-queries.ts) for what bypasses it.

const isDev = process.env.NODE_ENV !== 'production';

/** No third-party origin may run script, frame us or receive a form; 'unsafe-inline' scripts only because Next's hydration needs them without nonces. */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(https: boolean): [name: string, value: string][] {
  return [
    ['content-security-policy', contentSecurityPolicy],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'same-origin'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
    ...(https ? [['strict-transport-security', 'max-age=31536000'] as [string, string]] : []),
  ];
}
