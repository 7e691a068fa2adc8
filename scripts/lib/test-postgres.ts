// A PostgreSQL for `npm test`: the one at BURNRATE_TEST_POSTGRES_URL (default 127.0.0.1:5432) when it
// answers, else a throwaway cluster of Debian's `postgresql` binaries in a temp dir on a free port,
// so that every database test runs on Postgres as well as PGlite on any machine.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startProcess, type ManagedProcess } from './processes';

export const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPostgres {
  /** Admin URL (database `postgres`) that test helpers create their databases from. */
  url: string;
  /** True when this process started the server (it is stopped by `stop`). */
  started: boolean;
  stop(): Promise<void>;
}

export function tcpAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The newest installed Debian PostgreSQL's bin directory (/usr/lib/postgresql/<version>/bin). */
function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql: apt-get install postgresql');
  return path.join(base, newest, 'bin');
}

/** Postgres refuses to run as root: as root, run its binaries as the `postgres` user the package creates. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function waitForPostgres(port: number, server: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`postgres exited with code ${exitCode} before answering`);
    if (await tcpAnswers('127.0.0.1', port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`postgres did not answer on port ${port} within ${timeoutMs} ms`);
}

async function startThrowawayPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-test-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dataDir, uid, gid);
  }
  const [initCommand, initArgs] = asPostgresUser(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  execFileSync(initCommand, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  // Throwaway data: no fsync; the socket lives in the data dir (not /var/run/postgresql, which may be absent).
  const [command, args] = asPostgresUser(path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    dataDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ]);
  const server = startProcess('postgres', command, args, { stdio: 'ignore' });
  try {
    await waitForPostgres(port, server, 60_000);
  } catch (error) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    started: true,
    stop: async () => {
      await server.stop('SIGINT', 15_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The Postgres the tests use: the configured one when it answers, else one started here. */
export async function ensureTestPostgres(): Promise<TestPostgres> {
  const url = process.env.BURNRATE_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_ADMIN_URL;
  const { hostname, port } = new URL(url);
  if (await tcpAnswers(hostname, Number(port || 5432))) return { url, started: false, stop: async () => {} };
  return startThrowawayPostgres();
}
