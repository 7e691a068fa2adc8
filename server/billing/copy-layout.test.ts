import { describe, expect, it } from 'vitest';
import { chargeStartMs, copyLayout, encodeCells, escapeCopyText, parseFocusTimestamp } from './copy-layout';
import { mapHeader, type ColumnMapping } from './focus-columns';
import { fixtureHeader } from './focus-fixture';

function mapping(): ColumnMapping {
  return mapHeader(fixtureHeader('1.2')) as ColumnMapping;
}

/** A valid 1.2 fixture row as cells, with one column replaced. */
function rowWith(column: string, value: string): string[] {
  const { header } = mapping();
  const cells = header.map(() => '');
  const values: Record<string, string> = {
    BillingAccountId: 'acct-1',
    BillingCurrency: 'USD',
    BillingPeriodStart: '2025-01-01 00:00:00',
    BillingPeriodEnd: '2025-02-01 00:00:00',
    ChargePeriodStart: '2025-01-01 01:00:00',
    ChargePeriodEnd: '2025-01-01 02:00:00',
    ChargeCategory: 'Usage',
    ServiceName: 'Amazon EC2',
    ProviderName: 'AWS',
    BilledCost: '1.25',
    EffectiveCost: '1.00',
    ListCost: '1.50',
    Tags: '{"team":"ads"}',
    x_UsageType: 'BoxUsage',
  };
  header.forEach((name, i) => {
    cells[i] = values[name] ?? 'NULL';
  });
  cells[header.indexOf(column)] = value;
  return cells;
}

describe('parseFocusTimestamp', () => {
  it('reads zone-less values as UTC', () => {
    expect(parseFocusTimestamp('2024-09-18 22:00:00')).toBe(Date.UTC(2024, 8, 18, 22));
  });
  it('applies an explicit offset: 02:00+02:00 is 00:00 UTC', () => {
    expect(parseFocusTimestamp('2024-09-18T02:00:00+02:00')).toBe(Date.UTC(2024, 8, 18, 0));
  });
  it('rejects impossible dates and accepts 29 February of a leap year', () => {
    expect(parseFocusTimestamp('2024-02-30 00:00:00')).toBeNull();
    expect(parseFocusTimestamp('2023-02-29T00:00:00Z')).toBeNull();
    expect(parseFocusTimestamp('2024-13-01T00:00:00Z')).toBeNull();
    expect(parseFocusTimestamp('yesterday')).toBeNull();
    expect(parseFocusTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('escapeCopyText', () => {
  it('escapes what COPY text format treats as syntax', () => {
    expect(escapeCopyText('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(escapeCopyText('plain')).toBe('plain');
  });
});

describe('encodeCells (Parquet rows)', () => {
  it('writes the known columns in file order, missing values as \\N and the unknown ones as extra JSON', () => {
    const layout = copyLayout(mapping());
    const encoded = encodeCells(rowWith('ChargeDescription', 'two\nlines\tand \\'), 5, 7, layout);
    expect(typeof encoded).toBe('string');
    const cells = String(encoded).replace(/\n$/, '').split('\t');
    expect(cells.slice(0, 3)).toEqual(['7', '5', 'acct-1']);
    expect(cells[layout.columns.indexOf('charge_description')]).toBe('two\\nlines\\tand \\\\');
    expect(cells[layout.columns.indexOf('sub_account_id')]).toBe('\\N');
    expect(cells.at(-1)).toBe('{"x_UsageType":"BoxUsage"}');
  });

  it('refuses a field over 1 MiB with line and column', () => {
    const issue = encodeCells(rowWith('ChargeDescription', 'x'.repeat(1024 * 1024 + 1)), 3, 7, copyLayout(mapping()));
    expect(issue).toMatchObject({ line: 3, column: 'ChargeDescription' });
    expect((issue as { message: string }).message).toContain('over 1048576 bytes');
  });
});

describe('chargeStartMs', () => {
  it('names the line and column of a missing or unreadable ChargePeriodStart', () => {
    const layout = copyLayout(mapping());
    expect(chargeStartMs('2025-01-31T23:30:00-01:00', 4, layout)).toBe(Date.UTC(2025, 1, 1, 0, 30));
    expect(chargeStartMs('NULL', 4, layout)).toMatchObject({
      line: 4,
      column: 'ChargePeriodStart',
      message: 'mandatory value is missing',
    });
    expect(chargeStartMs('31/01/2025', 9, layout)).toMatchObject({
      line: 9,
      column: 'ChargePeriodStart',
      value: '31/01/2025',
    });
  });
});

describe('mapHeader', () => {
  it('detects versions and prefers the 1.3 provider column', () => {
    expect((mapHeader(fixtureHeader('1.0')) as ColumnMapping).version).toBe('1.0');
    expect((mapHeader(fixtureHeader('1.2')) as ColumnMapping).version).toBe('1.2');
    const mapping = mapHeader(fixtureHeader('1.3')) as ColumnMapping;
    expect(mapping.version).toBe('1.3');
    expect(mapping.extraIndexes.map((i) => mapping.header[i])).toEqual(['x_UsageType', 'InvoiceId']);
  });
  it('names every missing mandatory column', () => {
    const problems = mapHeader(fixtureHeader('1.2').filter((c) => c !== 'BilledCost' && c !== 'ProviderName'));
    expect(problems).toEqual([
      { column: 'ServiceProviderName', message: 'mandatory column ServiceProviderName or ProviderName is missing' },
      { column: 'BilledCost', message: 'mandatory column BilledCost is missing' },
    ]);
  });
});
