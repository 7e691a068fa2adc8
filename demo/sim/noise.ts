// Deterministic noise: a hash of (seed, series key, time bucket). History and live ask the same
// question for the same instant and so get the same answer, with no random state to carry.

function fnv1a(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The hash of a key, for callers that draw for the same key at many instants. */
export function keyHash(key: string): number {
  return fnv1a(key);
}

/** Uniform in [0, 1) for (seed, key, bucket). */
export function hashUniform(seed: number, key: string, bucket: number): number {
  return hashUniformOf(seed, fnv1a(key), bucket);
}

/** hashUniform for a key already hashed with keyHash. */
export function hashUniformOf(seed: number, hashedKey: number, bucket: number): number {
  let h = hashedKey ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (bucket | 0), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ Math.floor(bucket / 4294967296), 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** Roughly normal, mean 0 and standard deviation ≈ 1 (sum of four uniforms, rescaled). */
export function hashNormal(seed: number, key: string, bucket: number): number {
  return hashNormalOf(seed, fnv1a(key), bucket);
}

/** hashNormal for a key already hashed with keyHash; the four draws mix the index into the hash. */
export function hashNormalOf(seed: number, hashedKey: number, bucket: number): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += hashUniformOf(seed, Math.imul(hashedKey ^ (i + 1), 0x27d4eb2d) >>> 0, bucket);
  return (sum - 2) / Math.sqrt(4 / 12);
}
