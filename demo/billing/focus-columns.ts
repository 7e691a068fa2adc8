// FOCUS columns this export writes, in the specification's alphabetical order. The first group
// is Mandatory in 1.2; the rest are Conditional/Recommended ones AWS fills for EC2/EKS.

export const focusMandatoryColumns = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
] as const;

export const focusColumns = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingCurrency',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
] as const;

/**
 * Columns FOCUS 1.3 adds that this export writes: ServiceProviderName and HostProviderName replace
 * ProviderName and PublisherName, which 1.3 deprecates but still requires. ContractApplied is
 * present because AWS offers contract commitments; the demo's account has none, so it stays null.
 */
export const focus13AddedColumns = ['ContractApplied', 'HostProviderName', 'ServiceProviderName'] as const;

export type FocusVersion = '1.2' | '1.3';

/** The header of a file in `version`, alphabetical as the specification lists columns. */
export function focusHeader(version: FocusVersion): readonly FocusColumn[] {
  if (version === '1.2') return focusColumns;
  return [...focusColumns, ...focus13AddedColumns].sort();
}

export type FocusColumn = (typeof focusColumns)[number] | (typeof focus13AddedColumns)[number];
export type FocusRow = Partial<Record<FocusColumn, string>>;
