// Next.js gives route handlers no socket, and keeps a client-sent X-Forwarded-For: so the TCP
// peer, which proxy mode must check, is written into a header by the app's own listener, with a
// per-process proof a client cannot forge. Served any other way, proxy mode trusts no one.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HeaderReader } from '@/lib/http-security';
/** Set by the app server from the socket; a client-sent value is overwritten. */
export const PEER_ADDRESS_HEADER = 'x-burnrate-peer-address';

export const PEER_PROOF_HEADER = 'x-burnrate-peer-proof';
const PROOF_ENV = 'BURNRATE_PEER_PROOF';

/**
 * Writes the TCP peer and this process's proof into the request's headers; called by the app
 * server (server/http/app-server.ts) for every request before Next.js sees it.
 */
export function stampPeerAddress(req: IncomingMessage): void {
  process.env[PROOF_ENV] ??= randomBytes(24).toString('base64url');
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
  req.headers[PEER_PROOF_HEADER] = process.env[PROOF_ENV];
}

/** The TCP peer of the request, or undefined when the header was not set by the app server. */
export function trustedPeerAddress(headers: HeaderReader): string | undefined {
  const expected = process.env[PROOF_ENV];
  const proof = headers.get(PEER_PROOF_HEADER);
  if (!expected || !proof || proof.length !== expected.length) return undefined;
  if (!timingSafeEqual(Buffer.from(proof), Buffer.from(expected))) return undefined;
  return headers.get(PEER_ADDRESS_HEADER) ?? undefined;
}
