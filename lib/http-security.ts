// The app's HTTP hygiene, in one place: the security headers every answer carries and the refusal of
// cross-site state-changing requests. proxy.ts applies both to what Next.js serves; the streaming
// upload route (outsideProxy in server/http/route.ts) applies them itself, as the proxy skips it.

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

/**
 * True when the browser reached us over https: the first `x-forwarded-proto` of a proxy that says
 * so, else whether this connection itself is TLS.
 */
export function reachedOverHttps(forwardedProto: string | null | undefined, connectionIsTls: boolean): boolean {
  const forwarded = forwardedProto?.split(',')[0]?.trim();
  return forwarded ? forwarded === 'https' : connectionIsTls;
}

/** reachedOverHttps for a Fetch request. */
export function isHttps(request: Request): boolean {
  return reachedOverHttps(request.headers.get('x-forwarded-proto'), new URL(request.url).protocol === 'https:');
}

/** What request handling reads of headers: a Fetch `Headers`, or an adapter over a Node request's. */
export type HeaderReader = Pick<Headers, 'get'>;

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

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request from a browser must come from this origin. Browsers always send
 * Origin (or Sec-Fetch-Site) on cross-site POSTs; clients without either (curl, Alertmanager)
 * are not browsers and authenticate otherwise.
 */
export function crossSiteRefusal(request: Request): string | undefined {
  if (safeMethods.has(request.method)) return undefined;
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (origin && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return `malformed Origin ${origin}`;
    }
    return originHost === host ? undefined : `Origin ${origin} is not this site`;
  }
  if (origin === 'null') return 'opaque Origin';
  const fetchSite = request.headers.get('sec-fetch-site');
  return fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none'
    ? `cross-site request (Sec-Fetch-Site: ${fetchSite})`
    : undefined;
}

/** A host name or socket address on this machine (127.0.0.0/8, ::1, an IPv4-mapped 127.x, localhost). */
export function isLoopback(hostOrAddress: string): boolean {
  const host = hostOrAddress.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
