// FOCUS import of the official sample and of generated files: explorer totals equal sums of the
// raw file, keyset paging, the same file again is a no-op, FOCUS 1.2 and 1.3 names agree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { queryBillingExplorer } from '@/server/db/billing-explorer';
import { listBillingLines } from '@/server/db/billing-lines';
import { testDrivers } from '@/server/db/testing';
import { writeFocusCsv } from './focus-fixture';
import { importFocusFile, type ImportResult } from './import';
import { databaseSnapshot, EVERYTHING, importTestbed } from './import-test-data';

const SAMPLE = '/work/shared/data/focus/focus-1.0-official-sample.csv';

/** Independent sums straight from the raw file: a whole-file parse and decimal.js. */
function sumsFromFile(
  file: string,
  keyColumn: string,
): Map<string, { billed: Decimal; effective: Decimal; list: Decimal }> {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  const sums = new Map<string, { billed: Decimal; effective: Decimal; list: Decimal }>();
  for (const row of parsed.data) {
    const key = row[keyColumn]!;
    const sum = sums.get(key) ?? { billed: new Decimal(0), effective: new Decimal(0), list: new Decimal(0) };
    sum.billed = sum.billed.plus(row.BilledCost!);
    sum.effective = sum.effective.plus(row.EffectiveCost!);
    sum.list = sum.list.plus(row.ListCost!);
    sums.set(key, sum);
  }
  return sums;
}

const drivers = await testDrivers();

describe.each(drivers)('FOCUS import on %s', (driver) => {
  const bed = importTestbed(driver);

  const snapshot = (): Promise<unknown> => databaseSnapshot(bed.database);

  it('imports the official sample; explorer totals by provider and service equal sums of the raw file', async () => {
    const result = await importFocusFile(bed.database, { path: SAMPLE }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', rowCount: 1000, focusVersion: '1.0', format: 'csv' });
    for (const [groupBy, column] of [
      ['provider', 'ProviderName'],
      ['service', 'ServiceName'],
    ] as const) {
      const expected = sumsFromFile(SAMPLE, column);
      const explorer = await queryBillingExplorer(bed.database.db, { filters: EVERYTHING, groupBy });
      expect(explorer.groups.length).toBe(expected.size);
      const seriesSums = new Map<string, Decimal>();
      for (const point of explorer.series)
        seriesSums.set(point.group!, (seriesSums.get(point.group!) ?? new Decimal(0)).plus(point.effectiveCost));
      // The top 10 groups have their own series; the rest are summed as "(other)".
      const ranked = [...explorer.groups].sort((a, b) => new Decimal(b.effectiveCost).comparedTo(a.effectiveCost));
      for (const group of ranked.slice(0, 10))
        expect(seriesSums.get(group.group)?.equals(group.effectiveCost), `series of ${group.group}`).toBe(true);
      const other = ranked.slice(10).reduce((sum, g) => sum.plus(g.effectiveCost), new Decimal(0));
      expect((seriesSums.get('(other)') ?? new Decimal(0)).equals(other)).toBe(true);
      for (const group of explorer.groups) {
        const sum = expected.get(group.group)!;
        expect(new Decimal(group.billedCost).equals(sum.billed), `${groupBy} ${group.group} billed`).toBe(true);
        expect(new Decimal(group.effectiveCost).equals(sum.effective), `${groupBy} ${group.group} effective`).toBe(
          true,
        );
        expect(new Decimal(group.listCost).equals(sum.list), `${groupBy} ${group.group} list`).toBe(true);
      }
    }
    const all = [...sumsFromFile(SAMPLE, 'BillingCurrency').entries()];
    expect(result.status === 'imported' && result.totals).toEqual(
      Object.fromEntries(
        all.map(([currency, s]) => [
          currency,
          {
            billedCost: s.billed.toFixed(11),
            effectiveCost: s.effective.toFixed(11),
            listCost: s.list.toFixed(11),
          },
        ]),
      ),
    );
    // Month view from the monthly rollups: the same totals, one point per month and currency.
    const monthly = await queryBillingExplorer(bed.database.db, {
      filters: { from: '2024-01-01', to: '2025-01-01' },
      granularity: 'month',
    });
    expect(monthly.source).toBe('billing_monthly_rollups');
    const daily = await queryBillingExplorer(bed.database.db, {
      filters: { from: '2024-01-01', to: '2025-01-01' },
      granularity: 'day',
    });
    expect(monthly.totals).toEqual(daily.totals);
    expect(monthly.series.map((p) => p.period)).toEqual([...new Set(daily.series.map((p) => p.period.slice(0, 7)))]);
    const page = await listBillingLines(bed.database.db, { ...EVERYTHING, provider: ['AWS'] }, null, 3);
    expect(page.lines).toHaveLength(3);
    expect(page.lines[0]?.extra).toHaveProperty('Id');
    expect(page.lines.every((line) => line.providerName === 'AWS')).toBe(true);
    // Keyset paging by (import, line): every line once, newest import and last line first.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const next = await listBillingLines(bed.database.db, { ...EVERYTHING, provider: ['AWS'] }, cursor, 7);
      seen.push(...next.lines.map((line) => `${line.importId}:${line.lineNumber}`));
      cursor = next.nextCursor;
    } while (cursor !== null);
    const allAws = (
      await listBillingLines(bed.database.db, { ...EVERYTHING, provider: ['AWS'] }, null, 1000)
    ).lines.map((line) => `${line.importId}:${line.lineNumber}`);
    expect(seen).toEqual(allAws);
    expect(new Set(seen).size).toBe(seen.length);
    const keys = seen.map((key) => key.split(':').map(Number) as [number, number]);
    keys
      .slice(1)
      .forEach(([importId, line], i) =>
        expect(importId < keys[i]![0] || (importId === keys[i]![0] && line < keys[i]![1])).toBe(true),
      );
  });

  it('treats the same file again as a no-op', async () => {
    const before = await snapshot();
    const again = await importFocusFile(
      bed.database,
      {
        stream: (async function* () {
          yield readFileSync(SAMPLE);
        })(),
        name: 'copy.csv',
      },
      { actor: 'test' },
    );
    expect(again.status).toBe('already-imported');
    expect(await snapshot()).toEqual(before);
  });

  it('gives identical totals for a 1.3-named file and a 1.2 file with the same charges', async () => {
    const results: ImportResult[] = [];
    for (const version of ['1.2', '1.3'] as const) {
      const file = path.join(bed.dir, `charges-${version}.csv`);
      await writeFocusCsv(file, { rows: 400, version, startDay: '2030-03-01', days: 5 });
      results.push(await importFocusFile(bed.database, { path: file }, { actor: 'test' }));
    }
    const [v12, v13] = results;
    expect(v12).toMatchObject({ status: 'imported', focusVersion: '1.2', rowCount: 400 });
    expect(v13).toMatchObject({ status: 'imported', focusVersion: '1.3', rowCount: 400 });
    expect(v12?.status === 'imported' && v12.totals).toEqual(v13?.status === 'imported' && v13.totals);
    // Both imports together: each provider's March 2030 total is exactly twice one file's.
    const expected = sumsFromFile(path.join(bed.dir, 'charges-1.2.csv'), 'ProviderName');
    const explorer = await queryBillingExplorer(bed.database.db, {
      filters: { from: '2030-03-01', to: '2030-04-01' },
      groupBy: 'provider',
    });
    for (const group of explorer.groups)
      expect(new Decimal(group.effectiveCost).equals(expected.get(group.group)!.effective.times(2))).toBe(true);
  });
});
