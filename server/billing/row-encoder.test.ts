import { describe, expect, it } from 'vitest';
import type { ImportIssue } from './errors';
import { mapHeader, type ColumnMapping } from './focus-columns';
import { fixtureHeader } from './focus-fixture';
import { encodeRow, escapeCopyText, parseFocusTimestamp, type RowContext } from './row-encoder';

function context(): RowContext {
  const mapping = mapHeader(fixtureHeader('1.2')) as ColumnMapping;
  return { mapping, importId: 7, invalidUtf8: false };
}

/** A valid 1.2 fixture row as cells, with one column replaced. */
function rowWith(column: string, value: string): string[] {
  const ctx = context();
  const cells = ctx.mapping.header.map(() => '');
  const values: Record<string, string> = {
    BillingAccountId: 'acct-1', BillingCurrency: 'USD', BillingPeriodStart: '2025-01-01 00:00:00', BillingPeriodEnd: '2025-02-01 00:00:00',
    ChargePeriodStart: '2025-01-01 01:00:00', ChargePeriodEnd: '2025-01-01 02:00:00', ChargeCategory: 'Usage', ServiceName: 'Amazon EC2',
    ProviderName: 'AWS', BilledCost: '1.25', EffectiveCost: '1.00', ListCost: '1.50', Tags: '{"team":"ads"}', x_UsageType: 'BoxUsage',
  };
  ctx.mapping.header.forEach((name, i) => { cells[i] = values[name] ?? 'NULL'; });
  cells[ctx.mapping.header.indexOf(column)] = value;
  return cells;
}

describe('parseFocusTimestamp', () => {
  it('reads zone-less values as UTC', () => {
    expect(parseFocusTimestamp('2024-09-18 22:00:00')).toEqual({ text: '2024-09-18T22:00:00+00:00', epochMs: Date.UTC(2024, 8, 18, 22) });
  });
  it('applies an explicit offset: 02:00+02:00 is 00:00 UTC', () => {
    expect(parseFocusTimestamp('2024-09-18T02:00:00+02:00')?.epochMs).toBe(Date.UTC(2024, 8, 18, 0));
  });
  it('rejects impossible dates and accepts 29 February of a leap year', () => {
    expect(parseFocusTimestamp('2024-02-30 00:00:00')).toBeNull();
    expect(parseFocusTimestamp('2023-02-29T00:00:00Z')).toBeNull();
    expect(parseFocusTimestamp('2024-13-01T00:00:00Z')).toBeNull();
    expect(parseFocusTimestamp('yesterday')).toBeNull();
    expect(parseFocusTimestamp('2024-02-29T00:00:00Z')?.epochMs).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('escapeCopyText', () => {
  it('escapes what COPY text format treats as syntax', () => {
    expect(escapeCopyText('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(escapeCopyText('plain')).toBe('plain');
  });
});

describe('encodeRow', () => {
  it('encodes a valid row with exact decimals, UTC timestamps and extra columns', () => {
    const issues: ImportIssue[] = [];
    const encoded = encodeRow(rowWith('BilledCost', '0.00000080000'), 5, context(), issues);
    expect(issues).toEqual([]);
    expect(encoded?.copyLine.startsWith('7\t5\tacct-1\t')).toBe(true);
    expect(encoded?.copyLine).toContain('\t0.00000080000\t');
    expect(encoded?.copyLine).toContain('2025-01-01T01:00:00+00:00');
    expect(encoded?.copyLine.trimEnd().endsWith('{"x_UsageType":"BoxUsage"}')).toBe(true);
  });

  it.each([
    ['BilledCost', '12,5', 'not a decimal number'],
    ['EffectiveCost', 'NaN', 'not a decimal number'],
    ['ChargePeriodStart', '2024-02-30 00:00:00', 'not a valid date-time'],
    ['ChargePeriodEnd', '2025-01-01 00:30:00', 'ChargePeriodEnd is before ChargePeriodStart'],
    ['ChargeCategory', 'Discount', 'ChargeCategory must be one of'],
    ['Tags', '{"team": ads}', 'not a valid JSON object'],
    ['BilledCost', 'NULL', 'mandatory value is missing'],
  ])('rejects %s = %j with line, column and value', (column, value, message) => {
    const issues: ImportIssue[] = [];
    expect(encodeRow(rowWith(column, value), 9, context(), issues)).toBeNull();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 9, column, value });
    expect(issues[0]?.message).toContain(message);
  });

  it('rejects a field over 1 MiB', () => {
    const issues: ImportIssue[] = [];
    encodeRow(rowWith('ChargeDescription', 'x'.repeat(1024 * 1024 + 1)), 3, context(), issues);
    expect(issues[0]).toMatchObject({ line: 3, column: 'ChargeDescription' });
    expect(issues[0]?.message).toContain('over 1048576 bytes');
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
