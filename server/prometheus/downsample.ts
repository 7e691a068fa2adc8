import 'server-only';

/** [epoch milliseconds, value]; NaN marks a gap in a downsampled series. */
export type Point = [timestampMs: number, value: number];

export const defaultMaxPoints = 1000;

export interface DownsampleOptions {
  /** Consecutive points further apart than this are a gap (missing scrapes): kept visible with a NaN marker. */
  gapThresholdMs?: number;
}

/**
 * Largest-Triangle-Three-Buckets over the points in one contiguous run. Chosen over min/max per bucket
 * because every point it returns is a real sample (values stay equal to a direct query), it needs half
 * the points for the same visual shape, and it still keeps spikes (they span the largest triangles).
 */
function lttb(points: readonly Point[], threshold: number): Point[] {
  const n = points.length;
  if (threshold >= n) return points.slice();
  if (threshold <= 1) return [points[0] as Point];
  if (threshold === 2) return [points[0] as Point, points[n - 1] as Point];
  const sampled: Point[] = [points[0] as Point];
  const bucketSize = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      const p = points[j] as Point;
      avgX += p[0];
      avgY += p[1];
    }
    const nextCount = nextEnd - nextStart;
    avgX /= nextCount;
    avgY /= nextCount;
    const [ax, ay] = points[a] as Point;
    const start = Math.floor(i * bucketSize) + 1;
    const end = Math.floor((i + 1) * bucketSize) + 1;
    let maxArea = -1;
    let maxIndex = start;
    for (let j = start; j < end; j++) {
      const [x, y] = points[j] as Point;
      const area = Math.abs((ax - avgX) * (y - ay) - (ax - x) * (avgY - ay));
      if (area > maxArea) {
        maxArea = area;
        maxIndex = j;
      }
    }
    sampled.push(points[maxIndex] as Point);
    a = maxIndex;
  }
  sampled.push(points[n - 1] as Point);
  return sampled;
}

type Piece = { kind: 'run'; points: Point[] } | { kind: 'gap'; point: Point };

/** Splits into runs of finite values; a stretch of NaN/±Inf becomes one gap point, a time gap a NaN marker. */
function splitRuns(points: readonly Point[], gapThresholdMs: number | undefined): Piece[] {
  const pieces: Piece[] = [];
  let run: Point[] = [];
  let inGap = false;
  const closeRun = (): void => {
    if (run.length > 0) pieces.push({ kind: 'run', points: run });
    run = [];
  };
  for (const point of points) {
    if (!Number.isFinite(point[1])) {
      closeRun();
      if (!inGap) pieces.push({ kind: 'gap', point });
      inGap = true;
      continue;
    }
    const previous = run[run.length - 1];
    if (previous && gapThresholdMs !== undefined && point[0] - previous[0] > gapThresholdMs) {
      closeRun();
      pieces.push({ kind: 'gap', point: [Math.round((previous[0] + point[0]) / 2), Number.NaN] });
    }
    inGap = false;
    run.push(point);
  }
  closeRun();
  return pieces;
}

/** Shares `budget` points among runs in proportion to their length, at least two (or one) per run. */
function allocate(lengths: number[], budget: number): number[] {
  const total = lengths.reduce((s, n) => s + n, 0);
  const shares = lengths.map((n) => Math.min(n, Math.max(2, Math.floor((budget * n) / total))));
  let excess = shares.reduce((s, n) => s + n, 0) - budget;
  while (excess > 0) {
    let largest = 0;
    for (let i = 1; i < shares.length; i++) if ((shares[i] as number) > (shares[largest] as number)) largest = i;
    shares[largest] = (shares[largest] as number) - 1;
    excess--;
  }
  return shares;
}

/**
 * Caps a series at `maxPoints`, keeping its first and last points and its gaps.
 * Series already within the cap come back unchanged.
 */
export function downsample(
  points: readonly Point[],
  maxPoints = defaultMaxPoints,
  options: DownsampleOptions = {},
): Point[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`maxPoints must be an integer ≥ 2`);
  if (points.length <= maxPoints) return points.slice();
  const pieces = splitRuns(points, options.gapThresholdMs);
  const runs = pieces.filter((p): p is Extract<Piece, { kind: 'run' }> => p.kind === 'run');
  const budget = maxPoints - (pieces.length - runs.length);
  if (budget < 2 * runs.length) {
    // Too fragmented to keep every gap: plot the finite points only.
    const finite = points.filter((p) => Number.isFinite(p[1]));
    return finite.length === 0 ? [points[0] as Point, points[points.length - 1] as Point] : lttb(finite, maxPoints);
  }
  const shares = allocate(
    runs.map((r) => r.points.length),
    budget,
  );
  const result: Point[] = [];
  let runIndex = 0;
  for (const piece of pieces) {
    if (piece.kind === 'gap') result.push(piece.point);
    else result.push(...lttb(piece.points, shares[runIndex++] as number));
  }
  return result;
}

export type RankBy = 'mean' | 'max' | 'last';

function rankValue(points: readonly Point[], rankBy: RankBy): number {
  let sum = 0;
  let count = 0;
  let maximum = Number.NEGATIVE_INFINITY;
  let last = Number.NaN;
  for (const [, value] of points) {
    if (!Number.isFinite(value)) continue;
    sum += value;
    count++;
    if (value > maximum) maximum = value;
    last = value;
  }
  if (count === 0) return Number.NEGATIVE_INFINITY;
  if (rankBy === 'max') return maximum;
  if (rankBy === 'last') return last;
  return sum / count;
}

/**
 * Keeps the `n` series ranking highest by `rankBy`; series without finite values rank last. Kept series
 * stay in their input order, so colours and stacking do not reshuffle when values shift between refreshes.
 */
export function topSeries<S extends { points: readonly Point[] }>(
  series: readonly S[],
  n: number,
  rankBy: RankBy = 'mean',
): { series: S[]; omittedCount: number } {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  if (series.length <= n) return { series: series.slice(), omittedCount: 0 };
  const ranked = series
    .map((s, index) => ({ s, index, rank: rankValue(s.points, rankBy) }))
    .sort((x, y) => y.rank - x.rank || x.index - y.index);
  const kept = ranked.slice(0, n).sort((x, y) => x.index - y.index);
  return { series: kept.map((r) => r.s), omittedCount: series.length - n };
}
