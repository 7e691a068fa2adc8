// The local CLI's way into a running app: at start the app writes `<home>/cli.json` (its URL, a
// random token, its pid), readable by its owner only; `npm run burnrate` finds it and sends its
// command to POST /api/cli with the token instead of opening the database the app holds.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface CliEndpoint {
  url: string;
  token: string;
  pid: number;
  /** The database the app runs on (databaseIdentity): the CLI goes through the app only for the same one. */
  database: string;
}

/** A database named without credentials: the Postgres URL's host, port and path, or the PGlite directory. */
export function databaseIdentity(databaseUrl: string | undefined, home: string): string {
  if (!databaseUrl) return `pglite:${path.resolve(home, 'db')}`;
  const url = new URL(databaseUrl);
  return `postgres://${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

export function cliEndpointPath(home: string): string {
  return path.join(home, 'cli.json');
}

/** Writes a new endpoint file (mode 0600, replaced atomically); returns a function that removes it. */
export function publishCliEndpoint(home: string, url: string, database: string): () => void {
  const file = cliEndpointPath(home);
  const endpoint: CliEndpoint = { url, token: randomBytes(32).toString('base64url'), pid: process.pid, database };
  mkdirSync(home, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(endpoint));
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  return () => {
    // Only our own file: a newer app on the same home may have replaced it.
    if (readCliEndpoint(home)?.pid === process.pid) rmSync(file, { force: true });
  };
}

export function readCliEndpoint(home: string): CliEndpoint | undefined {
  try {
    const parsed = JSON.parse(readFileSync(cliEndpointPath(home), 'utf8')) as Partial<CliEndpoint>;
    const { url, token, pid, database } = parsed;
    if (typeof url !== 'string' || typeof token !== 'string' || typeof pid !== 'number') return undefined;
    if (typeof database !== 'string') return undefined;
    return { url, token, pid, database };
  } catch {
    return undefined;
  }
}

/** The endpoint of an app that still runs (its pid alive) on `database`, else undefined. */
export function runningAppEndpoint(home: string, database: string): CliEndpoint | undefined {
  const endpoint = readCliEndpoint(home);
  if (!endpoint || endpoint.database !== database) return undefined;
  try {
    process.kill(endpoint.pid, 0);
  } catch (error) {
    // EPERM: alive but another user's; ESRCH: gone.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return endpoint;
}

let cached: { mtimeMs: number; token: string } | undefined;

/** True when `Authorization: Bearer <token>` carries this app's CLI token (constant-time compare). */
export function isCliToken(home: string, authorization: string | null): boolean {
  const presented = authorization?.match(/^Bearer (\S+)$/)?.[1];
  if (!presented) return false;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(cliEndpointPath(home)).mtimeMs;
  } catch {
    return false;
  }
  if (cached?.mtimeMs !== mtimeMs) {
    const endpoint = readCliEndpoint(home);
    if (!endpoint || endpoint.pid !== process.pid) return false;
    cached = { mtimeMs, token: endpoint.token };
  }
  const expected = Buffer.from(cached.token);
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
