// Starts the app in this process through Next.js's documented custom server API, the same way in
// development (`--dev`, what `npm run dev` runs) and production (the `next build` output). Used by
// `npm start`, `npm run dev`, Playwright's web server, the demo launcher and the bench.
import { existsSync } from 'node:fs';
import path from 'node:path';
import next from 'next';
import { databaseIdentity, publishCliEndpoint } from '../server/cli/token';
import { createAppServer } from '../server/http/app-server';
import { buildIdPath } from './lib/build';

const root = path.resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
if (!dev && !existsSync(buildIdPath(root))) {
  console.error(`No build found in ${path.join(root, '.next')}: run "npm run build" first.`);
  process.exit(1);
}
process.env.BURNRATE_ROOT ??= root;
process.env.BURNRATE_HOME = path.resolve(process.env.BURNRATE_HOME ?? path.join(root, '.burnrate'));
(process.env as Record<string, string>).NODE_ENV = dev ? 'development' : 'production';
const hostname = process.env.HOSTNAME ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);

const app = next({ dev, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
const server = createAppServer((req, res) => handle(req, res));
// A port in use must end the process: Next's own handler would only log the uncaught error.
server.on('error', (error) => {
  console.error(`Burnrate could not listen on ${hostname}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  console.log(`> Burnrate on http://${hostname}:${port} (${dev ? 'development' : 'production'})`);
  // The local CLI's way in (server/cli/token.ts); gone when the app ends.
  const cliHost = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname;
  const home = process.env.BURNRATE_HOME!;
  const database = databaseIdentity(process.env.DATABASE_URL, home);
  const unpublish = publishCliEndpoint(home, `http://${cliHost}:${port}`, database);
  process.once('exit', unpublish);
});
