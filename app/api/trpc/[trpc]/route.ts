import { setMaxListeners } from 'node:events';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/routers/_app';
import { createContext } from '@/server/trpc/init';

export const dynamic = 'force-dynamic';

/** A batch carries up to this many calls (a page's panels), each of which may wait on the request's signal. */
const MAX_CALLS_PER_BATCH = 64;

function handler(req: Request): Promise<Response> {
  // Every call of a batched request shares its one signal: a dashboard page legitimately puts more
  // than Node's default 10 abort listeners on it, which is not the leak the warning is meant for.
  setMaxListeners(MAX_CALLS_PER_BATCH, req.signal);
  return fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext });
}

export { handler as GET, handler as POST };
