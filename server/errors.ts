/**
 * Domain errors thrown by server modules. Routers and route handlers never build their own error
 * responses: tRPC maps these in server/trpc/init.ts, route handlers in server/http/route.ts.
 */
export type DomainErrorCode =
  'BAD_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'UPSTREAM_UNAVAILABLE' | 'RATE_LIMITED';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Where it failed (an upstream, a file line and column, a field), shown to the user. */
    readonly where?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const httpStatusOf: Record<DomainErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
};
