// FOCUS 1.0–1.3 columns mapped onto the one internal schema of `billing_lines`.

export type FieldKind = 'text' | 'decimal' | 'money' | 'timestamp' | 'json';
export type FocusVersion = '1.0' | '1.1' | '1.2' | '1.3';

export interface FocusField {
  /** Column of billing_lines. */
  dbColumn: string;
  kind: FieldKind;
  /** FOCUS column names, preferred first (1.3 names before the deprecated ones). */
  sources: readonly string[];
  /** Must be present in the header and never null: the columns money depends on. */
  required?: boolean;
}

export const FOCUS_FIELDS: readonly FocusField[] = [
  { dbColumn: 'billing_account_id', kind: 'text', sources: ['BillingAccountId'], required: true },
  { dbColumn: 'billing_account_name', kind: 'text', sources: ['BillingAccountName'] },
  { dbColumn: 'sub_account_id', kind: 'text', sources: ['SubAccountId'] },
  { dbColumn: 'sub_account_name', kind: 'text', sources: ['SubAccountName'] },
  { dbColumn: 'billing_currency', kind: 'text', sources: ['BillingCurrency'], required: true },
  { dbColumn: 'billing_period_start', kind: 'timestamp', sources: ['BillingPeriodStart'], required: true },
  { dbColumn: 'billing_period_end', kind: 'timestamp', sources: ['BillingPeriodEnd'], required: true },
  { dbColumn: 'charge_period_start', kind: 'timestamp', sources: ['ChargePeriodStart'], required: true },
  { dbColumn: 'charge_period_end', kind: 'timestamp', sources: ['ChargePeriodEnd'], required: true },
  { dbColumn: 'charge_category', kind: 'text', sources: ['ChargeCategory'], required: true },
  { dbColumn: 'charge_class', kind: 'text', sources: ['ChargeClass'] },
  { dbColumn: 'charge_description', kind: 'text', sources: ['ChargeDescription'] },
  { dbColumn: 'charge_frequency', kind: 'text', sources: ['ChargeFrequency'] },
  { dbColumn: 'provider_name', kind: 'text', sources: ['ServiceProviderName', 'ProviderName'], required: true },
  { dbColumn: 'publisher_name', kind: 'text', sources: ['PublisherName'] },
  { dbColumn: 'host_provider_name', kind: 'text', sources: ['HostProviderName'] },
  { dbColumn: 'invoice_issuer_name', kind: 'text', sources: ['InvoiceIssuerName'] },
  { dbColumn: 'service_name', kind: 'text', sources: ['ServiceName'], required: true },
  { dbColumn: 'service_category', kind: 'text', sources: ['ServiceCategory'] },
  { dbColumn: 'region_id', kind: 'text', sources: ['RegionId', 'Region'] },
  { dbColumn: 'region_name', kind: 'text', sources: ['RegionName'] },
  { dbColumn: 'availability_zone', kind: 'text', sources: ['AvailabilityZone'] },
  { dbColumn: 'resource_id', kind: 'text', sources: ['ResourceId'] },
  { dbColumn: 'resource_name', kind: 'text', sources: ['ResourceName'] },
  { dbColumn: 'resource_type', kind: 'text', sources: ['ResourceType'] },
  { dbColumn: 'sku_id', kind: 'text', sources: ['SkuId'] },
  { dbColumn: 'sku_price_id', kind: 'text', sources: ['SkuPriceId'] },
  { dbColumn: 'pricing_category', kind: 'text', sources: ['PricingCategory'] },
  { dbColumn: 'pricing_unit', kind: 'text', sources: ['PricingUnit'] },
  { dbColumn: 'pricing_quantity', kind: 'decimal', sources: ['PricingQuantity'] },
  { dbColumn: 'consumed_quantity', kind: 'decimal', sources: ['ConsumedQuantity'] },
  { dbColumn: 'consumed_unit', kind: 'text', sources: ['ConsumedUnit'] },
  { dbColumn: 'commitment_discount_id', kind: 'text', sources: ['CommitmentDiscountId'] },
  { dbColumn: 'commitment_discount_name', kind: 'text', sources: ['CommitmentDiscountName'] },
  { dbColumn: 'commitment_discount_type', kind: 'text', sources: ['CommitmentDiscountType'] },
  { dbColumn: 'commitment_discount_category', kind: 'text', sources: ['CommitmentDiscountCategory'] },
  { dbColumn: 'commitment_discount_status', kind: 'text', sources: ['CommitmentDiscountStatus'] },
  { dbColumn: 'billed_cost', kind: 'money', sources: ['BilledCost'], required: true },
  { dbColumn: 'effective_cost', kind: 'money', sources: ['EffectiveCost'], required: true },
  { dbColumn: 'list_cost', kind: 'money', sources: ['ListCost'], required: true },
  { dbColumn: 'contracted_cost', kind: 'money', sources: ['ContractedCost'] },
  { dbColumn: 'list_unit_price', kind: 'decimal', sources: ['ListUnitPrice'] },
  { dbColumn: 'contracted_unit_price', kind: 'decimal', sources: ['ContractedUnitPrice'] },
  { dbColumn: 'allocated_method_id', kind: 'text', sources: ['AllocatedMethodId'] },
  { dbColumn: 'allocated_resource_id', kind: 'text', sources: ['AllocatedResourceId'] },
  { dbColumn: 'allocated_resource_name', kind: 'text', sources: ['AllocatedResourceName'] },
  { dbColumn: 'allocated_tags', kind: 'json', sources: ['AllocatedTags'] },
  { dbColumn: 'contract_applied', kind: 'json', sources: ['ContractApplied'] },
  { dbColumn: 'tags', kind: 'json', sources: ['Tags'] },
];

/** Allowed ChargeCategory values (FOCUS 1.0–1.3). */
export const CHARGE_CATEGORIES: ReadonlySet<string> = new Set(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']);

/** Columns that first appear in a version: the newest one present names the file's version. */
const VERSION_MARKERS: readonly [FocusVersion, readonly string[]][] = [
  [
    '1.3',
    [
      'ServiceProviderName',
      'HostProviderName',
      'AllocatedMethodId',
      'AllocatedMethodDetails',
      'AllocatedResourceId',
      'AllocatedResourceName',
      'AllocatedTags',
      'ContractApplied',
    ],
  ],
  [
    '1.2',
    [
      'BillingAccountType',
      'SubAccountType',
      'InvoiceId',
      'PricingCurrency',
      'PricingCurrencyContractedUnitPrice',
      'PricingCurrencyEffectiveCost',
      'PricingCurrencyListUnitPrice',
    ],
  ],
  [
    '1.1',
    [
      'CapacityReservationId',
      'CapacityReservationStatus',
      'CommitmentDiscountQuantity',
      'CommitmentDiscountUnit',
      'ServiceSubcategory',
      'SkuMeter',
      'SkuPriceDetails',
    ],
  ],
];

export function detectFocusVersion(header: readonly string[]): FocusVersion {
  const present = new Set(header);
  for (const [version, markers] of VERSION_MARKERS) {
    if (markers.some((name) => present.has(name))) return version;
  }
  return '1.0';
}

export interface ColumnMapping {
  version: FocusVersion;
  /** For each FOCUS_FIELDS entry, the index of its source column in the file, or -1. */
  fieldIndexes: Int32Array;
  /** File columns kept in `extra` as they are: unknown, `x_` and FOCUS columns without a db column. */
  extraIndexes: number[];
  header: string[];
}

export type HeaderProblem = { column: string; message: string };

/** Maps a header onto FOCUS_FIELDS; returns the problems (missing mandatory or duplicate columns) instead when any. */
export function mapHeader(rawHeader: readonly string[]): ColumnMapping | HeaderProblem[] {
  const header = rawHeader.map((name, index) => (index === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
  const positions = new Map<string, number>();
  const problems: HeaderProblem[] = [];
  header.forEach((name, index) => {
    if (positions.has(name)) problems.push({ column: name, message: `column "${name}" appears twice in the header` });
    positions.set(name, index);
  });
  const fieldIndexes = new Int32Array(FOCUS_FIELDS.length).fill(-1);
  const used = new Set<number>();
  FOCUS_FIELDS.forEach((field, fieldIndex) => {
    const source = field.sources.find((name) => positions.has(name));
    if (source === undefined) {
      if (field.required)
        problems.push({
          column: field.sources[0] ?? field.dbColumn,
          message: `mandatory column ${field.sources.join(' or ')} is missing`,
        });
      return;
    }
    const position = positions.get(source) ?? -1;
    fieldIndexes[fieldIndex] = position;
    used.add(position);
  });
  if (problems.length > 0) return problems;
  const extraIndexes = header.map((_, index) => index).filter((index) => !used.has(index) && header[index] !== '');
  return { version: detectFocusVersion(header), fieldIndexes, extraIndexes, header };
}
