// kubectl sends bearer tokens only over TLS (client-go drops credentials for http:// servers),
// so each demo API port also speaks HTTPS, with a self-signed certificate made at start.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';

export interface KeyPair {
  key: string;
  cert: string;
}

let pending: Promise<KeyPair> | undefined;

async function generate(): Promise<KeyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'burnrate-kube-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '3650',
      '-subj',
      '/CN=burnrate-demo-kube',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One self-signed certificate per process, shared by every simulated cluster. */
export function demoCertificate(): Promise<KeyPair> {
  pending ??= generate();
  return pending;
}

/** A TCP listener that hands TLS connections (first byte 0x16) to HTTPS and the rest to HTTP. */
export function dualProtocolServer(
  http: HttpServer,
  keys: KeyPair,
): { server: NetServer; destroyConnections: () => void } {
  const tls = createTlsServer({ key: keys.key, cert: keys.cert }, (secure) => http.emit('connection', secure));
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === 0x16) tls.emit('connection', socket);
      else http.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return {
    server,
    destroyConnections: () => {
      for (const s of sockets) s.destroy();
    },
  };
}
