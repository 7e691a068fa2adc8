import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { HeaderReader } from '@/lib/http-security';
import { resolveUser } from '@/server/auth/resolve-user';
import { roleAtLeast, type Role, type SessionUser } from '@/server/auth/session';
import { DomainError, type DomainErrorCode } from '@/server/errors';
import { appMetrics } from '@/server/observability/metrics';
import { logger } from '@/server/observability/logger';
import { transformer } from './transformer';

export interface Context {
  requestId: string;
  user: SessionUser | null;
  /** Aborted when the browser goes away: pass it to upstream calls. */
  signal: AbortSignal;
}

/** A request's context from its headers and the signal that fires when the browser goes away. */
export async function contextFrom(headers: HeaderReader, signal: AbortSignal): Promise<Context> {
  return {
    requestId: headers.get('x-request-id') ?? crypto.randomUUID(),
    user: await resolveUser(headers),
    signal,
  };
}

export function createContext({ req }: { req: Request }): Promise<Context> {
  return contextFrom(req.headers, req.signal);
}

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Stack traces never leave the server.
        stack: undefined,
        where: cause instanceof DomainError ? cause.where : undefined,
        fieldErrors: cause instanceof ZodError ? cause.flatten().fieldErrors : undefined,
      },
    };
  },
});

const trpcCodeOf: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_INPUT: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  UPSTREAM_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
};

/** The one place where domain errors become tRPC errors; everything unknown is logged as a 500. */
const observed = t.middleware(async ({ path, type, ctx, next }) => {
  const end = appMetrics().trpcProcedureDurationSeconds.startTimer({ procedure: path, type });
  const result = await next();
  if (result.ok) {
    end({ code: 'OK' });
    return result;
  }
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    end({ code: trpcCodeOf[cause.code] });
    throw new TRPCError({ code: trpcCodeOf[cause.code], message: cause.message, cause });
  }
  end({ code: result.error.code });
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    logger().error(
      { err: result.error.cause ?? result.error, path, requestId: ctx.requestId },
      'tRPC procedure failed',
    );
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(observed);

/** Called when a role check refuses, before the error goes out (actions audit it as "denied"). */
export type RoleDenialHook = (denial: {
  ctx: Context;
  path: string;
  rawInput: unknown;
  required: Role;
  message: string;
}) => Promise<void>;

export function requireRole(required: Role, onDenied?: RoleDenialHook) {
  return t.middleware(async ({ ctx, next, path, getRawInput }) => {
    const refuse = async (code: 'UNAUTHORIZED' | 'FORBIDDEN', message: string): Promise<never> => {
      if (onDenied)
        await onDenied({ ctx, path, rawInput: await getRawInput().catch(() => undefined), required, message });
      throw new TRPCError({ code, message });
    };
    if (!ctx.user) return refuse('UNAUTHORIZED', 'Sign in to continue.');
    if (!roleAtLeast(ctx.user.role, required))
      return refuse('FORBIDDEN', `This needs the ${required} role; you are ${ctx.user.role}.`);
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

export const viewerProcedure = publicProcedure.use(requireRole('viewer'));
export const operatorProcedure = publicProcedure.use(requireRole('operator'));
export const adminProcedure = publicProcedure.use(requireRole('admin'));
