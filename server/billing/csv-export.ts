import type { BillingExplorerResult } from '@/server/db/billing-explorer';
import type { BillingLine } from '@/server/db/billing-lines';

/** Cells a spreadsheet would run as a formula (OWASP CSV injection): = + - @ and tab/CR at the start. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes a text cell and defuses formulas with a leading apostrophe; numbers are written as they are. */
export function csvTextCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Money and counts: exact decimal text from the database, never a formula. */
export function csvNumberCell(value: string | number): string {
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a number: ${text}`);
  return text;
}

export function csvLine(cells: string[]): string {
  return `${cells.join(',')}\r\n`;
}

/** The explorer's current view: one row per group and currency (or per currency without grouping). */
export function exportExplorerCsv(result: BillingExplorerResult, groupLabel: string | null): string {
  const header = [
    ...(groupLabel ? [groupLabel] : []),
    'BillingCurrency',
    'BilledCost',
    'EffectiveCost',
    'ListCost',
    'Savings',
  ];
  let out = csvLine(header.map(csvTextCell));
  const rows = groupLabel ? result.groups : result.totals.map((t) => ({ ...t, group: null }));
  for (const row of rows) {
    const group = groupLabel ? [csvTextCell(row.group)] : [];
    out += csvLine([
      ...group,
      csvTextCell(row.currency),
      csvNumberCell(row.billedCost),
      csvNumberCell(row.effectiveCost),
      csvNumberCell(row.listCost),
      csvNumberCell(row.savings),
    ]);
  }
  return out;
}

const LINE_HEADER = [
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ProviderName',
  'BillingAccountId',
  'SubAccountId',
  'ServiceName',
  'ServiceCategory',
  'RegionId',
  'ResourceId',
  'ChargeCategory',
  'ChargeDescription',
  'BillingCurrency',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'Tags',
];

/** Lines as CSV, page after page, for a download of the line table under the current filters. */
export async function* exportLinesCsv(pages: AsyncIterable<BillingLine[]>): AsyncGenerator<string> {
  yield csvLine(LINE_HEADER.map(csvTextCell));
  for await (const page of pages) {
    let chunk = '';
    for (const line of page) {
      chunk += csvLine([
        csvTextCell(line.chargePeriodStart),
        csvTextCell(line.chargePeriodEnd),
        csvTextCell(line.providerName),
        csvTextCell(line.billingAccountId),
        csvTextCell(line.subAccountId),
        csvTextCell(line.serviceName),
        csvTextCell(line.serviceCategory),
        csvTextCell(line.regionId),
        csvTextCell(line.resourceId),
        csvTextCell(line.chargeCategory),
        csvTextCell(line.chargeDescription),
        csvTextCell(line.billingCurrency),
        csvNumberCell(line.billedCost),
        csvNumberCell(line.effectiveCost),
        csvNumberCell(line.listCost),
        csvTextCell(line.tags ? JSON.stringify(line.tags) : null),
      ]);
    }
    yield chunk;
  }
}
