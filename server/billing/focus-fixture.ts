// Deterministic FOCUS CSV files of any size, for tests and the import bench (never stored in the repo).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export type FixtureVersion = '1.0' | '1.2' | '1.3';

export interface FixtureOptions {
  rows: number;
  version: FixtureVersion;
  /** First charge day (UTC); rows spread over `days` days from it. */
  startDay?: string;
  days?: number;
}

const COMMON = [
  'BillingAccountId',
  'BillingAccountName',
  'SubAccountId',
  'SubAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ServiceName',
  'ServiceCategory',
  'RegionId',
  'RegionName',
  'AvailabilityZone',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'SkuId',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'InvoiceIssuerName',
  'Tags',
  'x_UsageType',
];

export function fixtureHeader(version: FixtureVersion): string[] {
  if (version === '1.3')
    return [...COMMON, 'ServiceProviderName', 'HostProviderName', 'InvoiceId', 'AllocatedMethodId', 'ContractApplied'];
  if (version === '1.2') return [...COMMON, 'ProviderName', 'PublisherName', 'InvoiceId', 'BillingAccountType'];
  return [...COMMON, 'ProviderName', 'PublisherName'];
}

const PROVIDERS = ['AWS', 'Microsoft', 'Google Cloud'];
const SERVICES = [
  ['Amazon EC2', 'Compute'],
  ['Amazon S3', 'Storage'],
  ['Virtual Machines', 'Compute'],
  ['Cloud SQL', 'Databases'],
  ['Vertex AI', 'AI and Machine Learning'],
] as const;
const REGIONS = ['us-east-1', 'eu-west-1', 'westeurope', 'us-central1'];
const TEAMS = ['ml-platform', 'search', 'ads', 'research'];

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** A decimal string with 10 fractional digits made from integers: exact by construction. */
function amount(i: number, salt: number, negative = false): string {
  const whole = (i * 7919 + salt * 31) % 97;
  const fraction = String((i * 104_729 + salt * 15_485_863) % 10_000_000_000).padStart(10, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Row i is hour floor(i / resources) of resource i % resources: like a real hourly export. */
export function fixtureRow(i: number, options: FixtureOptions): string {
  const startMs = Date.parse(`${options.startDay ?? '2025-01-01'}T00:00:00Z`);
  const hours = (options.days ?? 30) * 24;
  const resources = Math.max(1, Math.ceil(options.rows / hours));
  const r = i % resources;
  const hour = Math.floor(i / resources) % hours;
  const chargeStart = new Date(startMs + hour * 3_600_000);
  const chargeEnd = new Date(chargeStart.getTime() + 3_600_000);
  const month = chargeStart.toISOString().slice(0, 7);
  const nextMonth = new Date(Date.UTC(chargeStart.getUTCFullYear(), chargeStart.getUTCMonth() + 1, 1))
    .toISOString()
    .slice(0, 10);
  const provider = PROVIDERS[r % PROVIDERS.length]!;
  const [service, category] = SERVICES[r % SERVICES.length]!;
  const kind = i % 50 === 0 ? 'Tax' : i % 97 === 0 ? 'Credit' : 'Usage';
  const billed = amount(i, 1, kind === 'Credit');
  const effective = kind === 'Usage' ? amount(i, 2) : billed;
  const list = kind === 'Usage' ? amount(i, 3) : billed;
  const resource = `i-${r.toString(16).padStart(8, '0')}`;
  const ts = (d: Date): string => d.toISOString().replace('T', ' ').slice(0, 19);
  const tags = quote(JSON.stringify({ team: TEAMS[r % TEAMS.length], env: r % 3 === 0 ? 'prod' : 'dev' }));
  const description = i % 7 === 0 ? quote(`${service}, on-demand\nhour ${hour}`) : quote(`${service} usage`);
  const common = [
    `acct-${r % 3}`,
    quote(`Account ${r % 3}`),
    `sub-${r % 11}`,
    quote(`Team, sub ${r % 11}`),
    'USD',
    `${month}-01 00:00:00`,
    `${nextMonth} 00:00:00`,
    ts(chargeStart),
    ts(chargeEnd),
    kind,
    'NULL',
    description,
    'Usage-Based',
    quote(service),
    category,
    REGIONS[r % REGIONS.length]!,
    'NULL',
    'NULL',
    resource,
    'NULL',
    'Instance',
    `SKU${i % 13}`,
    'Standard',
    '1',
    'Hours',
    '1',
    'Hours',
    amount(i, 3),
    'NULL',
    billed,
    effective,
    list,
    'NULL',
    quote(provider),
    tags,
    'BoxUsage',
  ];
  if (options.version === '1.3')
    return [...common, quote(provider), quote(provider), `INV-${month}`, 'NULL', 'NULL'].join(',');
  if (options.version === '1.2')
    return [...common, quote(provider), quote(provider), `INV-${month}`, 'Billing Account'].join(',');
  return [...common, quote(provider), quote(provider)].join(',');
}

export async function writeFocusCsv(filePath: string, options: FixtureOptions): Promise<void> {
  const out = createWriteStream(filePath);
  let chunk = `${fixtureHeader(options.version).join(',')}\n`;
  for (let i = 0; i < options.rows; i++) {
    chunk += `${fixtureRow(i, options)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
