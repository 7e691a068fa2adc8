import 'server-only';
import { crossSiteRefusal, isHttps, securityHeaders } from '@/lib/http-security';
import { DomainError, httpStatusOf } from '@/server/errors';
import { logger } from '@/server/observability/logger';
import { appMetrics } from '@/server/observability/metrics';

export interface RouteContext {
  requestId: string;
}

type Handler<P> = (request: Request, context: RouteContext & { params: P }) => Promise<Response>;

/**
 * Wraps a route handler: request id, duration metric, and the one mapping from thrown errors
 * to JSON error responses (domain errors say what failed and where; anything else is a logged 500).
 */
export function route<P = Record<string, never>>(name: string, handler: Handler<P>) {
  return async (request: Request, nextContext: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get('x-request-id') ?? crypto.randomUUID();
    const end = appMetrics().httpRequestDurationSeconds.startTimer({ route: name, method: request.method });
    let response: Response;
    try {
      const params = await nextContext.params;
      response = await handler(request, { requestId, params });
    } catch (error) {
      if (error instanceof DomainError) {
        response = Response.json(
          { error: { code: error.code, message: error.message, where: error.where }, requestId },
          { status: httpStatusOf[error.code] },
        );
      } else {
        logger().error({ err: error, route: name, requestId }, 'route handler failed');
        response = Response.json(
          { error: { code: 'INTERNAL', message: 'Internal error' }, requestId },
          { status: 500 },
        );
      }
    }
    response.headers.set('x-request-id', requestId);
    end({ status: String(response.status) });
    return response;
  };
}

/**
 * For a route the proxy does not run on (proxy.ts's matcher: uploads, whose bodies Next would
 * buffer for it and cut at 10 MB): the proxy's cross-site refusal and security headers, here.
 * The request id is route()'s.
 */
export function outsideProxy(
  handler: (request: Request, nextContext: { params: Promise<Record<string, never>> }) => Promise<Response>,
) {
  return async (request: Request, nextContext: { params: Promise<Record<string, never>> }): Promise<Response> => {
    const refusal = crossSiteRefusal(request);
    const response = refusal
      ? Response.json(
          { error: { code: 'FORBIDDEN', message: `Cross-site request refused: ${refusal}.` } },
          { status: 403 },
        )
      : await handler(request, nextContext);
    for (const [name, value] of securityHeaders(isHttps(request))) response.headers.set(name, value);
    if (!response.headers.has('x-request-id'))
      response.headers.set('x-request-id', request.headers.get('x-request-id') ?? crypto.randomUUID());
    return response;
  };
}
