import { NextResponse, type NextRequest } from 'next/server';

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
  return fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none' ? `cross-site request (Sec-Fetch-Site: ${fetchSite})` : undefined;
}

function withSecurityHeaders(response: NextResponse, https: boolean): NextResponse {
  response.headers.set('content-security-policy', contentSecurityPolicy);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (https) response.headers.set('strict-transport-security', 'max-age=31536000');
  return response;
}

/** Request id for logs, the cross-site check on mutations, and the security headers. */
export function proxy(request: NextRequest): NextResponse {
  const requestId = request.headers.get('x-request-id') ?? crypto.randomUUID();
  const https = (request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(':', '')) === 'https';
  const refusal = crossSiteRefusal(request);
  if (refusal) {
    const response = NextResponse.json(
      { error: { code: 'FORBIDDEN', message: `Cross-site request refused: ${refusal}.` }, requestId },
      { status: 403 },
    );
    response.headers.set('x-request-id', requestId);
    return withSecurityHeaders(response, https);
  }
  const headers = new Headers(request.headers);
  headers.set('x-request-id', requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('x-request-id', requestId);
  return withSecurityHeaders(response, https);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
