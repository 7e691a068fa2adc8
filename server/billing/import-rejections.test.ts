import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { monthPartitions } from '@/server/db/billing-partitions';
import { testDrivers } from '@/server/db/testing';
import { ImportRejectedError } from './errors';
import { fixtureHeader, fixtureRow } from './focus-fixture';
import { importFocusFile } from './import';
import { csvText, databaseSnapshot, fixtureCells, importTestbed, lineOf } from './import-test-data';

const drivers = await testDrivers();

describe.each(drivers)('FOCUS import of a bad file on %s', (driver) => {
  const bed = importTestbed(driver);

  const snapshot = (): Promise<unknown> => databaseSnapshot(bed.database);

  it('fails with the line of a bad cell deep in a large file, keeping nothing (not its partitions either)', async () => {
    const options = { rows: 80_000, version: '1.2' as const, startDay: '2035-01-20', days: 40 };
    const rows: string[] = [];
    let physical = 2;
    let bad = -1;
    for (let i = 0; i < options.rows; i++) {
      let text = fixtureRow(i, options);
      if (bad < 0 && physical === 70_001) {
        text = text.replace(/,(Usage|Tax|Credit),/, ',Refund,');
        bad = i;
      }
      rows.push(text);
      physical += 1 + (text.match(/\n/g)?.length ?? 0);
    }
    expect(bad).toBeGreaterThan(0);
    const file = path.join(bed.dir, 'bad-deep.csv');
    writeFileSync(file, `${fixtureHeader('1.2').join(',')}\n${rows.join('\n')}\n`);
    const before = await snapshot();
    const partitionsBefore = await monthPartitions(bed.database.db);
    const error = await importFocusFile(bed.database, { path: file }, { actor: 'test' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportRejectedError);
    expect((error as ImportRejectedError).issues[0]).toMatchObject({
      line: 70_001,
      column: 'ChargeCategory',
      value: 'Refund',
    });
    expect((error as ImportRejectedError).message).toContain('line 70001, column ChargeCategory');
    expect(await snapshot()).toEqual(before);
    expect(await monthPartitions(bed.database.db)).toEqual(partitionsBefore);
  });

  describe('bad input leaves the database as it was', () => {
    const good = (): Record<string, string>[] => Array.from({ length: 30 }, (_, i) => fixtureCells(i + 1000));
    const cases: [
      string,
      () => Buffer,
      { line: number | ((text: string) => number); column: string | null; message: string },
    ][] = [
      [
        'missing mandatory column',
        () =>
          Buffer.from(
            csvText(
              good(),
              fixtureHeader('1.2').filter((c) => c !== 'EffectiveCost'),
            ),
          ),
        { line: 1, column: 'EffectiveCost', message: 'mandatory column EffectiveCost is missing' },
      ],
      [
        'non-numeric cost',
        () => {
          const rows = good();
          rows[20]!.BilledCost = '12.5USD';
          return Buffer.from(csvText(rows));
        },
        { line: (t) => lineOf(t, '12.5USD'), column: 'BilledCost', message: 'not a decimal number' },
      ],
      [
        'impossible date',
        () => {
          const rows = good();
          rows[9]!.ChargePeriodStart = '2024-02-30 00:00:00';
          return Buffer.from(csvText(rows));
        },
        { line: (t) => lineOf(t, '2024-02-30'), column: 'ChargePeriodStart', message: 'not a valid date-time' },
      ],
      [
        'unparseable date',
        () => {
          const rows = good();
          rows[3]!.ChargePeriodEnd = '30/01/2025';
          return Buffer.from(csvText(rows));
        },
        { line: (t) => lineOf(t, '30/01/2025'), column: 'ChargePeriodEnd', message: 'not a valid date-time' },
      ],
      [
        'end before start',
        () => {
          const rows = good();
          rows[5]!.ChargePeriodEnd = '1999-12-31 23:00:00';
          return Buffer.from(csvText(rows));
        },
        {
          line: (t) => lineOf(t, '1999-12-31'),
          column: 'ChargePeriodEnd',
          message: 'ChargePeriodEnd is before ChargePeriodStart',
        },
      ],
      [
        'invalid JSON in Tags',
        () => {
          const rows = good();
          rows[7]!.Tags = '{"team": broken}';
          return Buffer.from(csvText(rows));
        },
        { line: (t) => lineOf(t, 'broken'), column: 'Tags', message: 'not a valid JSON object' },
      ],
      [
        'a field over 1 MB',
        () => {
          const rows = good();
          rows[2]!.ChargeDescription = `HUGE${'x'.repeat(1_100_000)}`;
          return Buffer.from(csvText(rows));
        },
        { line: (t) => lineOf(t, 'HUGE'), column: 'ChargeDescription', message: 'over 1048576 bytes' },
      ],
      [
        'invalid UTF-8',
        () => {
          const rows = good();
          rows[11]!.ChargeDescription = 'BADBYTE';
          const text = csvText(rows);
          const at = text.indexOf('BADBYTE');
          return Buffer.concat([
            Buffer.from(text.slice(0, at)),
            Buffer.from([0xc3, 0x28]),
            Buffer.from(text.slice(at + 7)),
          ]);
        },
        { line: (t) => lineOf(t, '\uFFFD'), column: 'ChargeDescription', message: 'invalid UTF-8' },
      ],
      [
        'truncated file (quote never closed)',
        () => {
          const text = csvText(good());
          return Buffer.from(text.slice(0, text.lastIndexOf('{"') + 4));
        },
        { line: (t) => lineOf(t, t.slice(t.lastIndexOf('\nacct-') + 1)), column: 'Tags', message: 'never closed' },
      ],
      [
        'gzip cut short',
        () => {
          const zipped = gzipSync(Buffer.from(csvText(Array.from({ length: 3000 }, (_, i) => fixtureCells(i)))));
          return zipped.subarray(0, zipped.length - 200);
        },
        { line: () => -1, column: null, message: 'gzip data is cut short' },
      ],
      ['an empty file', () => Buffer.alloc(0), { line: 1, column: null, message: 'file is empty' }],
    ];

    it.each(cases)('%s', async (_name, build, expected) => {
      const before = await snapshot();
      const bytes = build();
      const file = path.join(bed.dir, `bad-${_name.replace(/\W+/g, '-')}.csv`);
      writeFileSync(file, bytes);
      const error = await importFocusFile(bed.database, { path: file }, { actor: 'test' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportRejectedError);
      const issue = (error as ImportRejectedError).issues[0]!;
      const text = bytes.toString('utf8');
      const line = typeof expected.line === 'function' ? expected.line(text) : expected.line;
      if (line > 0) expect(issue.line).toBe(line);
      expect(issue.column).toBe(expected.column);
      expect(issue.message).toContain(expected.message);
      expect(await snapshot()).toEqual(before);
    });
  });
});
