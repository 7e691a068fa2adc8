// The HTTP entry's half of direct tRPC queries (server/trpc/direct-queries.ts): scripts/start-app.ts
// installs it before Next.js creates its server; each request is offered to the direct handler
// (registered by instrumentation.ts once the app is loaded) and goes to Next otherwise.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const DIRECT_QUERIES_KEY = Symbol.for('burnrate.trpc.directQueries');

export interface DirectQueries {
  /** Serves the request and returns true, or returns false and leaves it to Next.js. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
}

export function installDirectQueryEntry(): void {
  const original = http.createServer;
  const patched = (...args: unknown[]): http.Server => {
    const index = args.findIndex((arg) => typeof arg === 'function');
    if (index >= 0) {
      const listener = args[index] as (req: IncomingMessage, res: ServerResponse) => void;
      args[index] = (req: IncomingMessage, res: ServerResponse) => {
        const direct = (globalThis as { [DIRECT_QUERIES_KEY]?: DirectQueries })[DIRECT_QUERIES_KEY];
        if (direct?.serve(req, res)) return;
        listener(req, res);
      };
    }
    return (original as (...a: unknown[]) => http.Server)(...args);
  };
  http.createServer = patched as typeof http.createServer;
}
