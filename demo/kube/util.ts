// Small helpers shared by the store, the server and the controllers.

/** RFC 3339 with second precision, as the API server writes timestamps. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function parseTimeMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** FNV-1a 32-bit: stable hashes for pod-template hashes and PRNG seeds. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: a small seeded PRNG; returns a function yielding floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One draw keyed on a string, so the same key gives the same number on every start. */
export function keyedRandom(seed: number, key: string): number {
  // FNV of similar keys differs in few bits: murmur3's finalizer spreads them before the draw.
  let h = fnv32a(`${seed}:${key}`);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return seededRandom((h ^ (h >>> 16)) >>> 0)();
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString of a hash's decimal digits, as pod-template-hash labels are made. */
export function safeEncodeHash(hash: number): string {
  return [...String(hash >>> 0)].map((ch) => alphanums[ch.charCodeAt(0) % alphanums.length]).join('');
}

export function randomSuffix(random: () => number, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphanums[Math.floor(random() * alphanums.length)];
  return out;
}

/** kubectl's duration.HumanDuration, for AGE and LAST SEEN columns. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (years < 8) return `${years}y${Math.floor(hours / 24) % 365}d`;
  return `${years}y`;
}

/** Kubernetes quantity ("500m", "8", "48Gi", "201326592Ki") to a number of base units. */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return 0;
  const n = Number(match[1]);
  const factors: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  return n * (factors[match[2] ?? ''] ?? 1);
}

export function cpuQuantity(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

export function bytesQuantity(bytes: number): string {
  const GiB = 1024 ** 3;
  if (bytes % GiB === 0) return `${bytes / GiB}Gi`;
  return `${Math.round(bytes / 1024)}Ki`;
}
