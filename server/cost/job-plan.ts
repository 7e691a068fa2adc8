// Which hours of a cluster the allocation job computes next: pure, from what the database records.

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export interface DayRecord {
  hoursComputed: number;
  latestImportId: number | null;
}

export interface PlannedRange {
  /** YYYY-MM-DD (UTC). */
  day: string;
  fromMs: number;
  toMs: number;
  /** The whole day again: its record is replaced, not added to. */
  rerun: boolean;
  /** The newest billing import covering the day now. */
  latestImportId: number | null;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Newest day first (recent cost shows up first during a long backfill). A day is computed from
 * where its record stops to the last complete hour; again whole when an import newer than the one
 * it was priced with covers it.
 */
export function planRanges(input: {
  /** First hour Prometheus holds the cluster's nodes. */
  historyStartMs: number;
  /** End of the last complete hour. */
  endMs: number;
  records: ReadonlyMap<string, DayRecord>;
  latestImports: ReadonlyMap<string, number>;
}): PlannedRange[] {
  const { historyStartMs, endMs } = input;
  const ranges: PlannedRange[] = [];
  if (endMs <= historyStartMs) return ranges;
  for (let dayStart = Math.floor((endMs - 1) / dayMs) * dayMs; dayStart + dayMs > historyStartMs; dayStart -= dayMs) {
    const day = dayOf(dayStart);
    const fromMs = Math.max(dayStart, historyStartMs);
    const toMs = Math.min(dayStart + dayMs, endMs);
    const record = input.records.get(day);
    const latestImportId = input.latestImports.get(day) ?? null;
    if (record && (latestImportId ?? 0) > (record.latestImportId ?? 0)) {
      ranges.push({ day, fromMs, toMs, rerun: true, latestImportId });
      continue;
    }
    const doneUntil = record ? dayStart + record.hoursComputed * hourMs : fromMs;
    if (doneUntil < toMs)
      ranges.push({ day, fromMs: Math.max(fromMs, doneUntil), toMs, rerun: !record, latestImportId });
  }
  return ranges;
}
