import { describe, expect, it } from 'vitest';
import { csvTextCell, exportExplorerCsv, exportLinesCsv } from './csv-export';

describe('CSV export', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvTextCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvTextCell('+1')).toBe(`"'+1"`);
    expect(csvTextCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvTextCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvTextCell('team, ads')).toBe('"team, ads"');
    expect(csvTextCell('AWS')).toBe('AWS');
    expect(csvTextCell(null)).toBe('');
  });

  it('keeps negative money as numbers and neutralises group names', () => {
    const csv = exportExplorerCsv(
      {
        totals: [],
        series: [],
        groups: [
          {
            group: '=cmd|calc',
            currency: 'USD',
            billedCost: '-1.50',
            effectiveCost: '-1.50',
            listCost: '0',
            savings: '1.50',
            lineCount: 1,
          },
        ],
        source: 'billing_daily_rollups',
      },
      'Provider',
    );
    expect(csv).toBe(
      `Provider,BillingCurrency,BilledCost,EffectiveCost,ListCost,Savings\r\n"'=cmd|calc",USD,-1.50,-1.50,0,1.50\r\n`,
    );
  });

  it('writes lines page by page with the same rules', async () => {
    const line = {
      id: 1,
      importId: 1,
      lineNumber: 2,
      chargePeriodStart: '2025-01-01T00:00:00Z',
      chargePeriodEnd: '2025-01-01T01:00:00Z',
      providerName: 'AWS',
      billingAccountId: '123',
      subAccountId: null,
      serviceName: 'Amazon EC2',
      serviceCategory: 'Compute',
      regionId: 'us-east-1',
      resourceId: '@evil',
      chargeCategory: 'Usage',
      chargeDescription: 'a "quoted" word',
      billingCurrency: 'USD',
      billedCost: '0.00000080000',
      effectiveCost: '0',
      listCost: '1',
      tags: { team: 'ads' },
      extra: null,
    };
    let out = '';
    for await (const chunk of exportLinesCsv(
      (async function* () {
        yield [line];
      })(),
    ))
      out += chunk;
    expect(out.split('\r\n')[1]).toBe(
      `2025-01-01T00:00:00Z,2025-01-01T01:00:00Z,AWS,123,,Amazon EC2,Compute,us-east-1,"'@evil",Usage,"a ""quoted"" word",USD,0.00000080000,0,1,"{""team"":""ads""}"`,
    );
  });
});
