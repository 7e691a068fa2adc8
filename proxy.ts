import { NextResponse, type NextRequest } from 'next/server';
import { crossSiteRefusal, isHttps, securityHeaders } from '@/lib/http-security';

function withSecurityHeaders(response: NextResponse, https: boolean): NextResponse {
  for (const [name, value] of securityHeaders(https)) response.headers.set(name, value);
  return response;
}

/** Request id for logs, the cross-site check on mutations, and the security headers. */
export function proxy(request: NextRequest): NextResponse {
  const requestId = request.headers.get('x-request-id') ?? crypto.randomUUID();
  const https = isHttps(request);
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

// Not the FOCUS upload route: Next buffers a request body for the proxy and cuts it at 10 MB, while
// uploads stream to disk; that route refuses cross-site requests and sets these headers itself
// (server/http/route.ts, outsideProxy).
export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/billing/imports).*)'],
};
