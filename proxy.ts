import { NextResponse, type NextRequest } from 'next/server';
import { securityHeaders } from '@/lib/security-headers';

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
  for (const [name, value] of securityHeaders(https)) response.headers.set(name, value);
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
