// The meeting point of the HTTP entry (server/http/entry.ts, outside Next's module graph) and the
// direct tRPC query handler (server/trpc/direct-queries.ts, registered from instrumentation.ts
// inside it): a process-wide slot.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const DIRECT_QUERIES_KEY = Symbol.for('burnrate.trpc.directQueries');

export interface DirectQueries {
  /** Serves the request and returns true, or returns false and leaves it to Next.js. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
}

/** True when the direct handler took the request (it is not registered before the app has loaded). */
export function offerDirectQuery(req: IncomingMessage, res: ServerResponse): boolean {
  return (globalThis as { [DIRECT_QUERIES_KEY]?: DirectQueries })[DIRECT_QUERIES_KEY]?.serve(req, res) ?? false;
}
