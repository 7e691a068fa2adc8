import 'server-only';
import { isIP } from 'node:net';
import type { HeaderReader } from '@/lib/http-security';
import { appConfig, type AppConfig } from '@/server/config';
import { roleForGroups, type RoleMapping } from './role-mapping';
import type { SessionUser } from './session';

/** The header the app server sets from the TCP peer (see peer-address.ts). */
export { PEER_ADDRESS_HEADER } from './peer-address';

export interface ProxyAuthConfig {
  userHeader: string;
  groupsHeader: string;
  emailHeader: string;
  /** Addresses or CIDR ranges of the authenticating proxy. */
  allowedPeers: string[];
}

export function proxyAuthConfig(config: AppConfig = appConfig()): ProxyAuthConfig {
  return {
    userHeader: config.proxyUserHeader,
    groupsHeader: config.proxyGroupsHeader,
    emailHeader: config.proxyEmailHeader,
    allowedPeers: config.proxyAllowedAddresses,
  };
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function ipv6ToBigInt(address: string): bigint {
  const [head = '', tail = ''] = address.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = address.includes('::') ? [...headParts, ...Array<string>(missing).fill('0'), ...tailParts] : headParts;
  return parts.reduce((n, part) => (n << 16n) + BigInt(parseInt(part || '0', 16)), 0n);
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is the IPv4 address. */
function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

export function addressInRange(rawAddress: string, range: string): boolean {
  const address = normalise(rawAddress.trim());
  const [base = '', bitsText] = range.split('/');
  const family = isIP(address);
  if (family === 0 || family !== isIP(base)) return false;
  const totalBits = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? totalBits : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > totalBits) return false;
  if (family === 4) {
    if (bits === 0) return true;
    const shift = 32 - bits;
    return ipv4ToNumber(address) >>> shift === ipv4ToNumber(base) >>> shift;
  }
  const shift = BigInt(128 - bits);
  return ipv6ToBigInt(address) >> shift === ipv6ToBigInt(base) >> shift;
}

export type ProxyAuthOutcome =
  { ok: true; user: SessionUser } | { ok: false; reason: 'no-user-header' | 'untrusted-peer' | 'no-role' };

/** The person an authenticating proxy vouches for, believed only when the request came from it. */
export function resolveProxyUser(
  headers: HeaderReader,
  peer: string | undefined,
  config: ProxyAuthConfig,
  mapping: RoleMapping,
): ProxyAuthOutcome {
  const name = headers.get(config.userHeader)?.trim();
  if (!name) return { ok: false, reason: 'no-user-header' };
  if (!peer || !config.allowedPeers.some((range) => addressInRange(peer, range)))
    return { ok: false, reason: 'untrusted-peer' };
  const groups = (headers.get(config.groupsHeader) ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const role = roleForGroups(groups, mapping);
  if (!role) return { ok: false, reason: 'no-role' };
  const email = headers.get(config.emailHeader)?.trim();
  return { ok: true, user: { id: `proxy:${name}`, name: email || name, role, provider: 'proxy', groups } };
}
