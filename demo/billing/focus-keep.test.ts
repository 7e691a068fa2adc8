import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters } from '../topology.ts';
import { writeFocusExports } from './focus-export.ts';

// A restarted demo keeps the months it wrote whole and rewrites the others. File times are set
// with utimes to when the demo would have written them (the generator reads the wall clock's mtime).
describe('FOCUS export on a restart (keepCompleteMonths)', () => {
  let dir: string;
  const october = (): string => path.join(dir, 'focus-2026-10.csv');
  const rows = async (file: string): Promise<Record<string, string>[]> =>
    Papa.parse<Record<string, string>>(await readFile(file, 'utf8'), { header: true, skipEmptyLines: true }).data;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'focus-keep-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rewrites a month that was written while it was in progress, once it has ended', async () => {
    const writtenAt = new Date(Date.UTC(2026, 9, 20, 12));
    await writeFocusExports({ dir, fromMs: Date.UTC(2026, 9, 15), toMs: writtenAt.getTime(), seed: 7 });
    await utimes(october(), writtenAt, writtenAt);
    const node = clusters[0]!.nodes[0]!.instanceId;
    // 1 Oct 00:00 to 20 Oct 12:00 is 19.5 days = 468 hours, with no invoice yet.
    const toDate = await rows(october());
    expect(toDate.filter((r) => r.ResourceId === node)).toHaveLength(468);
    expect(new Set(toDate.map((r) => r.InvoiceId))).toEqual(new Set(['']));

    await writeFocusExports({
      dir,
      fromMs: Date.UTC(2026, 9, 15),
      toMs: Date.UTC(2026, 10, 2, 6),
      seed: 7,
      keepCompleteMonths: true,
    });
    const whole = await rows(october());
    expect(whole.filter((r) => r.ResourceId === node)).toHaveLength(744);
    expect(whole.filter((r) => !/^EUINUS2610-\d{6}$/.test(r.InvoiceId!))).toEqual([]);
  });

  it('keeps a month written after it ended', async () => {
    await writeFile(october(), 'kept\n');
    const writtenAt = new Date(Date.UTC(2026, 10, 1, 0, 5));
    await utimes(october(), writtenAt, writtenAt);
    await writeFocusExports({
      dir,
      fromMs: Date.UTC(2026, 9, 15),
      toMs: Date.UTC(2026, 10, 2, 7),
      seed: 7,
      keepCompleteMonths: true,
    });
    expect(await readFile(october(), 'utf8')).toBe('kept\n');
  });
});
