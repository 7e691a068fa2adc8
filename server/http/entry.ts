// The production HTTP entry's hook into the server Next.js creates (scripts/start-app.ts installs
// it before Next starts): every request first gets its TCP peer stamped for proxy auth
// (server/auth/peer-address.ts), then is offered to the direct tRPC query handler the app
// registers from instrumentation.ts (server/trpc/direct-queries.ts), and goes to Next otherwise.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stampPeerAddress } from '@/server/auth/peer-address';
import { offerDirectQuery } from '@/server/trpc/direct-entry';

export function installHttpEntry(): void {
  const original = http.createServer;
  const patched = (...args: unknown[]): http.Server => {
    const index = args.findIndex((arg) => typeof arg === 'function');
    if (index >= 0) {
      const next = args[index] as (req: IncomingMessage, res: ServerResponse) => void;
      args[index] = (req: IncomingMessage, res: ServerResponse) => {
        stampPeerAddress(req);
        if (!offerDirectQuery(req, res)) next(req, res);
      };
    }
    return (original as (...a: unknown[]) => http.Server)(...args);
  };
  http.createServer = patched as typeof http.createServer;
}
