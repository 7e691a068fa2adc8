import 'server-only';
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
        response = Response.json({ error: { code: 'INTERNAL', message: 'Internal error' }, requestId }, { status: 500 });
      }
    }
    response.headers.set('x-request-id', requestId);
    end({ status: String(response.status) });
    return response;
  };
}
