// An HTTP server that takes connections and never answers: the hang of an upstream that is
// restarting or behind a half-open socket, which a real Prometheus or API server will not produce on demand.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface SilentServer {
  readonly url: string;
  /** Requests it has taken (and left unanswered). */
  readonly requests: number;
}

/** Starts a silent server before the enclosing describe's (or file's) tests and closes it after. */
export function silentServerPerSuite(): SilentServer {
  let server: Server | undefined;
  let url: string | undefined;
  let requests = 0;
  beforeAll(async () => {
    const started = createServer(() => void requests++);
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    server = started;
    url = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  return {
    get url() {
      if (!url) throw new Error('the silent server is not started (use it inside a test)');
      return url;
    },
    get requests() {
      return requests;
    },
  };
}
