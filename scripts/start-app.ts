// Starts the built app (the standalone server) in this process. Used by `npm start`,
// Playwright's web server, the demo launcher and the bench. Build first (`npm run build`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installHttpEntry } from '../server/http/entry';
import { standaloneServerPath } from './lib/build';

const root = path.resolve(import.meta.dirname, '..');
const server = standaloneServerPath(root);
if (!existsSync(server)) {
  console.error(`No build found at ${server}: run "npm run build" first.`);
  process.exit(1);
}
// The standalone server changes directory to its own folder: pin the paths Burnrate resolves.
process.env.BURNRATE_ROOT ??= root;
process.env.BURNRATE_HOME = path.resolve(process.env.BURNRATE_HOME ?? path.join(root, '.burnrate'));
process.env.HOSTNAME ??= '127.0.0.1';
process.env.PORT ??= '3000';
(process.env as Record<string, string>).NODE_ENV = 'production';
// Proxy auth must see the TCP peer, which Next hides from route handlers (server/auth/peer-address.ts);
// tRPC queries skip Next's request pipeline once the app registers its handler (server/trpc/direct-queries.ts).
installHttpEntry();
await import(pathToFileURL(server).href);
