// FOCUS import of every file shape: physical line numbers (quoted newlines) across month
// partitions, a header without rows, missing values however spelled, optional columns, Parquet.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryBillingExplorer } from '@/server/db/billing-explorer';
import { listImports } from '@/server/db/billing-imports';
import { iterateBillingLines, listBillingLines } from '@/server/db/billing-lines';
import { monthPartitions } from '@/server/db/billing-partitions';
import { testDrivers } from '@/server/db/testing';
import { fixtureHeader, fixtureRow, writeFocusCsv } from './focus-fixture';
import { importFocusFile } from './import';
import { csvText, EVERYTHING, fixtureCells, importTestbed } from './import-test-data';

const drivers = await testDrivers();

describe.each(drivers)('FOCUS import of every file shape on %s', (driver) => {
  const bed = importTestbed(driver);

  it('numbers physical lines (a quoted newline starts a new one) and keeps every line, across month partitions', async () => {
    // ~11 MB over January and February: many COPY batches, two partitions; every 7th row's description spans two lines.
    const options = { rows: 25_000, version: '1.2' as const, startDay: '2033-01-15', days: 30 };
    const file = path.join(bed.dir, 'blocks.csv');
    await writeFocusCsv(file, options);
    const result = await importFocusFile(bed.database, { path: file }, { actor: 'test' });
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
    for await (const page of iterateBillingLines(bed.database.db, { from: '2033-01-01', to: '2033-03-01' })) {
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
    const partitions = await monthPartitions(bed.database.db);
    expect(partitions).toEqual(expect.arrayContaining(['billing_lines_y2033m01', 'billing_lines_y2033m02']));
    expect(partitions.filter((name) => name.startsWith('billing_lines_y2033'))).toHaveLength(2);
    // Each line sits in the partition of its ChargePeriodStart's month.
    const placed = (await bed.database.db
      .execute(sql`select tableoid::regclass::text as part, min(charge_period_start) as first, count(*)::int as lines
      from billing_lines where import_id = ${result.status === 'imported' ? result.importId : 0} group by 1 order by 1`)) as unknown as {
      rows: { part: string; lines: number }[];
    };
    expect(placed.rows.map((r) => r.part)).toEqual(['billing_lines_y2033m01', 'billing_lines_y2033m02']);
    expect(placed.rows.reduce((sum, r) => sum + r.lines, 0)).toBe(options.rows);
  });

  it('imports a file with a header and no rows as an import of 0 lines (a month without charges)', async () => {
    const file = path.join(bed.dir, 'no-charges.csv');
    writeFileSync(file, `${fixtureHeader('1.2').join(',')}\r\n`);
    const partitionsBefore = await monthPartitions(bed.database.db);
    const result = await importFocusFile(bed.database, { path: file }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', rowCount: 0, totals: {}, focusVersion: '1.2' });
    const [record] = (await listImports(bed.database.db)).filter(
      (i) => result.status === 'imported' && i.id === result.importId,
    );
    expect(record).toMatchObject({ rowCount: 0, chargePeriodStart: null, chargePeriodEnd: null });
    expect(await monthPartitions(bed.database.db)).toEqual(partitionsBefore);
    expect((await importFocusFile(bed.database, { path: file }, { actor: 'test' })).status).toBe('already-imported');
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
      const file = path.join(bed.dir, `missing-${name}.csv`);
      writeFileSync(file, text);
      const result = await importFocusFile(bed.database, { path: file }, { actor: 'test' });
      expect(result, name).toMatchObject({ status: 'imported', rowCount: 3 });
      const { lines } = await listBillingLines(bed.database.db, EVERYTHING, null, 1000);
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
    const file = path.join(bed.dir, 'no-tags.csv');
    writeFileSync(file, csvText(rows, header));
    const result = await importFocusFile(bed.database, { path: file }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', rowCount: 50 });
    const expected = rows.reduce((sum, row) => sum.plus(row.EffectiveCost!), new Decimal(0));
    const explorer = await queryBillingExplorer(bed.database.db, {
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
    const file = path.join(bed.dir, 'charges.parquet');
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
    const result = await importFocusFile(bed.database, { path: file }, { actor: 'test' });
    expect(result).toMatchObject({ status: 'imported', format: 'parquet', rowCount: 3 });
    const expected = rows.reduce((sum, row) => sum.plus(row.BilledCost!), new Decimal(0));
    expect(result.status === 'imported' && new Decimal(result.totals.USD!.billedCost).equals(expected)).toBe(true);
  });
});
