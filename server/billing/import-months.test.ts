import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { ImportRejectedError } from './errors';
import { fixtureHeader, fixtureRow } from './focus-fixture';
import { importFocusFile } from './import';

interface MonthsFile {
  text: string;
  /** Physical line of each row, per month start (YYYY-MM). */
  lines: Map<string, number[]>;
  billedByCurrency: Map<string, Decimal>;
}

/** Rows of two months taken in turn (Jan, Feb, Jan, …), with `edit` applied to row i's text. */
function alternatingMonths(rows: number, year: number, edit = (text: string, _i: number): string => text): MonthsFile {
  const jan = { rows, version: '1.2' as const, startDay: `${year}-01-01`, days: 28 };
  const feb = { ...jan, startDay: `${year}-02-01` };
  const out: string[] = [];
  const lines = new Map<string, number[]>();
  const billedByCurrency = new Map<string, Decimal>();
  let physical = 2;
  for (let i = 0; i < rows; i++) {
    const month = i % 2 === 0 ? `${year}-01` : `${year}-02`;
    const text = edit(fixtureRow(i, i % 2 === 0 ? jan : feb), i);
    const cells = Papa.parse<string[]>(text).data[0]!;
    const header = fixtureHeader('1.2');
    const currency = cells[header.indexOf('BillingCurrency')]!;
    const billed = cells[header.indexOf('BilledCost')]!;
    billedByCurrency.set(currency, (billedByCurrency.get(currency) ?? new Decimal(0)).plus(billed));
    lines.set(month, [...(lines.get(month) ?? []), physical]);
    out.push(text);
    physical += 1 + (text.match(/\n/g)?.length ?? 0);
  }
  return { text: `${fixtureHeader('1.2').join(',')}\n${out.join('\n')}\n`, lines, billedByCurrency };
}

const drivers = await testDrivers();

describe.each(drivers)('FOCUS import of months in any order on %s', (driver) => {
  const context = { database: null as TestDatabase | null, dir: '' };
  beforeAll(async () => {
    context.database = await createTestDatabase(driver);
    context.dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-billing-months-'));
  });
  afterAll(async () => {
    await context.database?.destroy();
    rmSync(context.dir, { recursive: true, force: true });
  });

  /** Imports the file and checks each line's partition and the totals against the file's own sums. */
  async function importChecked(file: MonthsFile, name: string, year: number): Promise<void> {
    const database = context.database!;
    writeFileSync(path.join(context.dir, name), file.text);
    const result = await importFocusFile(database, { path: path.join(context.dir, name) }, { actor: 'test' });
    const rows = [...file.lines.values()].reduce((sum, lines) => sum + lines.length, 0);
    expect(result).toMatchObject({ status: 'imported', rowCount: rows });
    if (result.status !== 'imported') return;
    const placed = (await database.db.execute(sql`select tableoid::regclass::text as part, line_number as line
      from billing_lines where import_id = ${result.importId} order by line_number`)) as unknown as {
      rows: { part: string; line: number }[];
    };
    const byPart = new Map<string, number[]>();
    for (const row of placed.rows) byPart.set(row.part, [...(byPart.get(row.part) ?? []), Number(row.line)]);
    expect(byPart).toEqual(
      new Map([
        [`billing_lines_y${year}m01`, file.lines.get(`${year}-01`)],
        [`billing_lines_y${year}m02`, file.lines.get(`${year}-02`)],
      ]),
    );
    for (const [currency, billed] of file.billedByCurrency)
      expect(new Decimal(result.totals[currency]!.billedCost).equals(billed), currency).toBe(true);
  }

  it('puts each line of interleaved months in its month, into new partitions and then into existing ones', async () => {
    // ~2.7 MB: each month's text goes out in more than one COPY statement.
    await importChecked(alternatingMonths(6_000, 2036), 'first.csv', 2036);
    // The same months again (other charges): COPY into the partitions the first import made.
    const again = alternatingMonths(500, 2036, (text) => text.replace('acct-', 'acct-again-'));
    await importChecked(again, 'again.csv', 2036);
  });

  it("names the file line of a value the database refused in a month's second COPY statement", async () => {
    // Row 5,000 is in January's second COPY statement (its first holds about 1 MB, ~2,300 rows).
    const effective = fixtureHeader('1.2').indexOf('EffectiveCost');
    const bad = alternatingMonths(6_000, 2037, (text, i) => {
      if (i !== 5_000) return text;
      const cells = Papa.parse<string[]>(text).data[0]!;
      cells[effective] = '12x';
      return Papa.unparse([cells]);
    });
    writeFileSync(path.join(context.dir, 'bad.csv'), bad.text);
    const error = await importFocusFile(
      context.database!,
      { path: path.join(context.dir, 'bad.csv') },
      { actor: 'test' },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportRejectedError);
    expect((error as ImportRejectedError).issues[0]).toMatchObject({
      line: bad.lines.get('2037-01')![2_500],
      column: 'EffectiveCost',
      value: '12x',
    });
  });
});
