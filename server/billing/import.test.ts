import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryBillingExplorer } from '@/server/db/billing-explorer';
import { listImports } from '@/server/db/billing-imports';
import { iterateBillingLines, listBillingLines } from '@/server/db/billing-lines';
import { monthPartitions } from '@/server/db/billing-partitions';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { fixtureHeader, fixtureRow, writeFocusCsv } from './focus-fixture';
import { csvText, databaseSnapshot, fixtureCells } from './import-test-data';
import { importFocusFile, type ImportResult } from './import';

const SAMPLE = '/work/shared/data/focus/focus-1.0-official-sample.csv';
const EVERYTHING = { from: '2000-01-01', to: '2100-01-01' };

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
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-billing-'));
  });
  afterAll(async () => {
    await database?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const snapshot = (): Promise<unknown> => databaseSnapshot(database);

  it('imports the official sample; explorer totals by provider and service equal sums of the raw file', async () => {
    const result = await importFocusFile(database, { path: SAMPLE }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', rowCount: 1000, focusVersion: '1.0', format: 'csv' });
    for (const [groupBy, column] of [
      ['provider', 'ProviderName'],
      ['service', 'ServiceName'],
    ] as const) {
      const expected = sumsFromFile(SAMPLE, column);
      const explorer = await queryBillingExplorer(database.db, { filters: EVERYTHING, groupBy });
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
    const monthly = await queryBillingExplorer(database.db, {
      filters: { from: '2024-01-01', to: '2025-01-01' },
      granularity: 'month',
    });
    expect(monthly.source).toBe('billing_monthly_rollups');
    const daily = await queryBillingExplorer(database.db, {
      filters: { from: '2024-01-01', to: '2025-01-01' },
      granularity: 'day',
    });
    expect(monthly.totals).toEqual(daily.totals);
    expect(monthly.series.map((p) => p.period)).toEqual([...new Set(daily.series.map((p) => p.period.slice(0, 7)))]);
    const page = await listBillingLines(database.db, { ...EVERYTHING, provider: ['AWS'] }, null, 3);
    expect(page.lines).toHaveLength(3);
    expect(page.lines[0]?.extra).toHaveProperty('Id');
    expect(page.lines.every((line) => line.providerName === 'AWS')).toBe(true);
    // Keyset paging by (import, line): every line once, newest import and last line first.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const next = await listBillingLines(database.db, { ...EVERYTHING, provider: ['AWS'] }, cursor, 7);
      seen.push(...next.lines.map((line) => `${line.importId}:${line.lineNumber}`));
      cursor = next.nextCursor;
    } while (cursor !== null);
    const allAws = (await listBillingLines(database.db, { ...EVERYTHING, provider: ['AWS'] }, null, 1000)).lines.map(
      (line) => `${line.importId}:${line.lineNumber}`,
    );
    expect(seen).toEqual(allAws);
    expect(new Set(seen).size).toBe(seen.length);
    const keys = seen.map((key) => key.split(':').map(Number) as [number, number]);
    keys
      .slice(1)
      .forEach(([importId, line], i) =>
        expect(importId < keys[i]![0] || (importId === keys[i]![0] && line < keys[i]![1])).toBe(true),
      );
  });

  it('numbers physical lines (a quoted newline starts a new one) and keeps every line, across month partitions', async () => {
    // ~11 MB over January and February: many COPY batches, two partitions; every 7th row's description spans two lines.
    const options = { rows: 25_000, version: '1.2' as const, startDay: '2033-01-15', days: 30 };
    const file = path.join(dir, 'blocks.csv');
    await writeFocusCsv(file, options);
    const result = await importFocusFile(database, { path: file }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', rowCount: options.rows });
    const header = fixtureHeader('1.2');
    const expected = new Map<number, Record<string, string>>();
    let physical = 2;
    for (let i = 0; i < options.rows; i++) {
      const text = fixtureRow(i, options);
      const cells = Papa.parse<string[]>(text).data[0]!;
      expected.set(physical, Object.fromEntries(header.map((name, c) => [name, cells[c]!])));
      physical += 1 + (text.match(/\n/g)?.length ?? 0);
    }
    let seen = 0;
    for await (const page of iterateBillingLines(database.db, { from: '2033-01-01', to: '2033-03-01' })) {
      for (const line of page) {
        const row = expected.get(line.lineNumber);
        expect(row, `line ${line.lineNumber}`).toBeDefined();
        expect(new Decimal(line.billedCost).equals(row!.BilledCost!), `line ${line.lineNumber}`).toBe(true);
        expect(line.resourceId).toBe(row!.ResourceId);
        expect(line.chargeDescription).toBe(row!.ChargeDescription);
        expect(line.extra).toEqual({
          x_UsageType: 'BoxUsage',
          InvoiceId: row!.InvoiceId,
          BillingAccountType: 'Billing Account',
        });
        seen++;
      }
    }
    expect(seen).toBe(options.rows);
    const partitions = await monthPartitions(database.db);
    expect(partitions).toEqual(expect.arrayContaining(['billing_lines_y2033m01', 'billing_lines_y2033m02']));
    expect(partitions.filter((name) => name.startsWith('billing_lines_y2033'))).toHaveLength(2);
    // Each line sits in the partition of its ChargePeriodStart's month.
    const placed = (await database.db
      .execute(sql`select tableoid::regclass::text as part, min(charge_period_start) as first, count(*)::int as lines
      from billing_lines where import_id = ${result.status === 'imported' ? result.importId : 0} group by 1 order by 1`)) as unknown as {
      rows: { part: string; lines: number }[];
    };
    expect(placed.rows.map((r) => r.part)).toEqual(['billing_lines_y2033m01', 'billing_lines_y2033m02']);
    expect(placed.rows.reduce((sum, r) => sum + r.lines, 0)).toBe(options.rows);
  });

  it('imports a file with a header and no rows as an import of 0 lines (a month without charges)', async () => {
    const file = path.join(dir, 'no-charges.csv');
    writeFileSync(file, `${fixtureHeader('1.2').join(',')}\r\n`);
    const partitionsBefore = await monthPartitions(database.db);
    const result = await importFocusFile(database, { path: file }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', rowCount: 0, totals: {}, focusVersion: '1.2' });
    const [record] = (await listImports(database.db)).filter(
      (i) => result.status === 'imported' && i.id === result.importId,
    );
    expect(record).toMatchObject({ rowCount: 0, chargePeriodStart: null, chargePeriodEnd: null });
    expect(await monthPartitions(database.db)).toEqual(partitionsBefore);
    expect((await importFocusFile(database, { path: file }, { actor: 'test' })).status).toBe('already-imported');
  });

  it('treats the same file again as a no-op', async () => {
    const before = await snapshot();
    const again = await importFocusFile(
      database,
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
      const file = path.join(dir, `charges-${version}.csv`);
      await writeFocusCsv(file, { rows: 400, version, startDay: '2030-03-01', days: 5 });
      results.push(await importFocusFile(database, { path: file }, { actor: 'test' }));
    }
    const [v12, v13] = results;
    expect(v12).toMatchObject({ status: 'imported', focusVersion: '1.2', rowCount: 400 });
    expect(v13).toMatchObject({ status: 'imported', focusVersion: '1.3', rowCount: 400 });
    expect(v12?.status === 'imported' && v12.totals).toEqual(v13?.status === 'imported' && v13.totals);
    // Both imports together: each provider's March 2030 total is exactly twice one file's.
    const expected = sumsFromFile(path.join(dir, 'charges-1.2.csv'), 'ProviderName');
    const explorer = await queryBillingExplorer(database.db, {
      filters: { from: '2030-03-01', to: '2030-04-01' },
      groupBy: 'provider',
    });
    for (const group of explorer.groups)
      expect(new Decimal(group.effectiveCost).equals(expected.get(group.group)!.effective.times(2))).toBe(true);
  });

  it('stores a missing value as null whatever its spelling: empty, NULL, quoted or not', async () => {
    // Placeholders become the exact bytes wanted, quotes included (Papa would not quote them).
    const spell = (text: string): string => text.replace(/Q_NULL/g, '"NULL"').replace(/Q_EMPTY/g, '""');
    const rowsWith = (base: number, cells: [string, string, string][], missing = 'NULL'): Record<string, string>[] =>
      cells.map(([subAccount, region, contracted], i) => ({
        ...Object.fromEntries(Object.entries(fixtureCells(base + i)).map(([k, v]) => [k, v === 'NULL' ? missing : v])),
        SubAccountId: subAccount,
        RegionId: region,
        ContractedCost: contracted,
      }));
    const files = {
      // The official sample's style: unquoted NULL for missing, so NULL is COPY's marker.
      nullMarker: spell(
        csvText(
          rowsWith(9000, [
            ['', 'NULL', 'NULL'],
            ['Q_NULL', 'Q_EMPTY', 'Q_NULL'],
            ['NULL', '', 'NULL'],
          ]),
        ),
      ),
      // Empty for missing, with a stray NULL word and quoted forms.
      emptyMarker: spell(
        csvText(
          rowsWith(
            9100,
            [
              ['', '', ''],
              ['Q_NULL', 'Q_EMPTY', ''],
              ['Q_NULL', 'Q_EMPTY', ''],
            ],
            '',
          ),
        ),
      ),
    };
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, `missing-${name}.csv`);
      writeFileSync(file, text);
      const result = await importFocusFile(database, { path: file }, { actor: 'test' });
      expect(result, name).toMatchObject({ status: 'imported', rowCount: 3 });
      const { lines } = await listBillingLines(database.db, EVERYTHING, null, 1000);
      const imported = lines.filter((line) => result.status === 'imported' && line.importId === result.importId);
      expect(imported, name).toHaveLength(3);
      for (const line of imported) {
        expect(line.subAccountId, `${name} line ${line.lineNumber}`).toBeNull();
        expect(line.regionId, `${name} line ${line.lineNumber}`).toBeNull();
      }
    }
  });

  it('imports a file without the optional Tags and ContractedCost columns', async () => {
    const header = fixtureHeader('1.2').filter((name) => name !== 'Tags' && name !== 'ContractedCost');
    const rows: Record<string, string>[] = Array.from({ length: 50 }, (_, i) => ({
      ...fixtureCells(9200 + i),
      ChargePeriodStart: '2032-02-01 00:00:00',
      ChargePeriodEnd: '2032-02-01 01:00:00',
    }));
    const file = path.join(dir, 'no-tags.csv');
    writeFileSync(file, csvText(rows, header));
    const result = await importFocusFile(database, { path: file }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', rowCount: 50 });
    const expected = rows.reduce((sum, row) => sum.plus(row.EffectiveCost!), new Decimal(0));
    const explorer = await queryBillingExplorer(database.db, {
      filters: { from: '2032-02-01', to: '2032-02-02' },
      groupBy: 'tag:team',
    });
    expect(explorer.totals.map((t) => t.effectiveCost)).toEqual([expected.toFixed()]);
    expect(explorer.groups.map((g) => g.group)).toEqual(['']);
  });

  it('imports Parquet with DECIMAL costs exactly', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const rows = [0, 1, 2].map(fixtureCells);
    const header = fixtureHeader('1.2');
    const columnData = header.map((name) => {
      const values = rows.map((row) => (row[name] === 'NULL' ? null : row[name]!));
      if (name === 'BilledCost') return { name, data: rows.map((r) => BigInt(r[name]!.replace('.', ''))) };
      return { name, data: values };
    });
    // Costs as DECIMAL(18,10) in INT64, the way exporters write them; hyparquet alone would turn them into floats.
    const file = path.join(dir, 'charges.parquet');
    const scaled = parquetWriteBuffer({
      columnData,
      schema: [
        { name: 'root', num_children: header.length },
        ...header.map((name) =>
          name === 'BilledCost'
            ? {
                name,
                type: 'INT64' as const,
                repetition_type: 'REQUIRED' as const,
                converted_type: 'DECIMAL' as const,
                scale: 10,
                precision: 18,
              }
            : {
                name,
                type: 'BYTE_ARRAY' as const,
                repetition_type: 'OPTIONAL' as const,
                converted_type: 'UTF8' as const,
              },
        ),
      ],
    });
    writeFileSync(file, Buffer.from(scaled));
    const result = await importFocusFile(database, { path: file }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', format: 'parquet', rowCount: 3 });
    const expected = rows.reduce((sum, row) => sum.plus(row.BilledCost!), new Decimal(0));
    expect(result.status === 'imported' && new Decimal(result.totals.USD!.billedCost).equals(expected)).toBe(true);
  });
});
