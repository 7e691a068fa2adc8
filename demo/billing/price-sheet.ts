// What the demo's AWS accounts pay besides the instance prices in topology.ts, as AWS lists
// them for us-east-1 in 2026 (rounded). One place, so that tests can show their arithmetic.
import Decimal from 'decimal.js';
import { instanceTypes, type InstanceTypeName } from '../topology.ts';

export const ebsUsdPerGbMonth = new Decimal('0.08');
export const dataTransferUsdPerGb = new Decimal('0.09');
export const taxRate = new Decimal('0.06');
export const monthlyCreditUsd = new Decimal('-250');

/** Spot capacity bills at this share of the on-demand price (held constant in the demo). */
export const spotShareOfOnDemand = new Decimal('0.30');

export function spotUsdPerHour(instanceType: InstanceTypeName): Decimal {
  return new Decimal(instanceTypes[instanceType].onDemandUsdPerHour).times(spotShareOfOnDemand).toDecimalPlaces(4);
}

/** A managed database no node runs: the ML metadata store (MLflow) of the first cluster's account. */
export const managedDatabase = {
  name: 'ml-metadata-pg',
  instanceClass: 'db.r6g.2xlarge',
  engine: 'PostgreSQL',
  usdPerHour: new Decimal('1.798'),
  team: 'ml-platform',
} as const;

/** One S3 bucket of model artifacts and datasets per account (its first pipeline's team); size held constant. */
export const objectStorage = {
  usdPerGbMonth: new Decimal('0.023'),
  sizeGb: new Decimal(40_000),
  team: 'ml-platform',
} as const;

/** AWS Business Support: a share of each slice of the month's AWS charges, at least $100. */
export const businessSupportTiers: readonly { upToUsd: number; rate: string }[] = [
  { upToUsd: 10_000, rate: '0.10' },
  { upToUsd: 80_000, rate: '0.07' },
  { upToUsd: 250_000, rate: '0.05' },
  { upToUsd: Infinity, rate: '0.03' },
];
export const businessSupportMinimumUsd = new Decimal(100);

/** Each month refunds the database's hours of this day of the previous month (an outage it was billed for). */
export const refundedDayOfMonth = 14;

export function businessSupportUsd(chargesUsd: Decimal): Decimal {
  let fee = new Decimal(0);
  let lower = new Decimal(0);
  for (const tier of businessSupportTiers) {
    const upper = Decimal.min(chargesUsd, tier.upToUsd);
    if (upper.greaterThan(lower)) fee = fee.plus(upper.minus(lower).times(tier.rate));
    lower = new Decimal(tier.upToUsd);
    if (lower.greaterThanOrEqualTo(chargesUsd)) break;
  }
  return Decimal.max(fee, businessSupportMinimumUsd).toDecimalPlaces(2);
}
