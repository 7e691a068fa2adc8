// The app's own HTTP listener, in front of Next.js's request handler (a documented custom server,
// https://nextjs.org/docs/app/guides/custom-server), the same in development and production.
// It stamps each request's TCP peer for proxy auth (server/auth/peer-address.ts), which route
// handlers and proxy.ts cannot see otherwise; everything else is Next's.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stampPeerAddress } from '@/server/auth/peer-address';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createAppServer(handle: RequestHandler): http.Server {
  return http.createServer((req, res) => {
    stampPeerAddress(req);
    void handle(req, res);
  });
}
