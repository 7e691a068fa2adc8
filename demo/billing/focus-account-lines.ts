// FOCUS lines of the account rather than of a resource: tax, a promotional credit, AWS Business
// Support, and a refund of last month's database hours (a correction of an invoiced period).
import Decimal from 'decimal.js';
import type { ClusterSpec } from '../topology.ts';
import type { FocusRow } from './focus-columns.ts';
import { dayMs, iso, sku } from './focus-format.ts';
import { databaseColumns } from './focus-service-lines.ts';
import { managedDatabase, refundedDayOfMonth } from './price-sheet.ts';

export function taxColumns(spec: ClusterSpec, amount: Decimal): FocusRow {
  const tax = amount.toFixed(2);
  return {
    ChargeCategory: 'Tax',
    ChargeClass: '',
    ChargeFrequency: 'One-Time',
    ChargeDescription: `Tax for ${spec.subAccountName} for the billing period`,
    ServiceCategory: 'Compute',
    ServiceSubcategory: 'Virtual Machines',
    ServiceName: 'Amazon Elastic Compute Cloud',
    BilledCost: tax,
    EffectiveCost: tax,
    ListCost: tax,
    ContractedCost: tax,
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name }),
  };
}

export function creditColumns(spec: ClusterSpec, amount: Decimal): FocusRow {
  return {
    ChargeCategory: 'Credit',
    ChargeClass: '',
    ChargeFrequency: 'One-Time',
    ChargeDescription: 'AWS Credits: ML Startup Program',
    ServiceCategory: 'Compute',
    ServiceSubcategory: 'Virtual Machines',
    ServiceName: 'Amazon Elastic Compute Cloud',
    BilledCost: amount.toFixed(2),
    EffectiveCost: amount.toFixed(2),
    ListCost: '0',
    ContractedCost: '0',
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name }),
  };
}

/** A subscription with no resource: FOCUS files it under Purchase, recurring monthly. */
export function supportColumns(fee: Decimal, chargesUsd: Decimal): FocusRow {
  return {
    ChargeCategory: 'Purchase',
    ChargeClass: '',
    ChargeFrequency: 'Recurring',
    ChargeDescription: `AWS Support (Business): tiered share of $${chargesUsd.toFixed(2)} of monthly AWS charges`,
    ServiceCategory: 'Management and Governance',
    ServiceSubcategory: 'Support',
    ServiceName: 'AWS Support (Business)',
    RegionId: '',
    RegionName: '',
    SkuId: sku('support/business'),
    SkuPriceId: sku('support/business/tiered'),
    PricingCategory: 'Standard',
    PricingQuantity: '1',
    PricingUnit: 'Months',
    ListUnitPrice: fee.toFixed(2),
    ContractedUnitPrice: fee.toFixed(2),
    ListCost: fee.toFixed(2),
    ContractedCost: fee.toFixed(2),
    BilledCost: fee.toFixed(2),
    EffectiveCost: fee.toFixed(2),
  };
}

/**
 * The database's hours of one day of the month before `billingPeriodStartMs`, given back: a
 * correction of an invoiced period, so ChargeClass "Correction" with that day as charge period.
 */
export function refundColumns(
  spec: ClusterSpec,
  billingPeriodStartMs: number,
): { row: FocusRow; startMs: number; endMs: number } {
  const previous = new Date(billingPeriodStartMs);
  const startMs = Date.UTC(previous.getUTCFullYear(), previous.getUTCMonth() - 1, refundedDayOfMonth);
  const row: FocusRow = {
    ...databaseColumns(spec, new Decimal(-24)),
    ChargeCategory: 'Usage',
    ChargeClass: 'Correction',
    ChargeFrequency: 'One-Time',
    ChargeDescription: `Refund: ${managedDatabase.name} billed for ${iso(startMs).slice(0, 10)} while unavailable (AWS outage)`,
  };
  return { row, startMs, endMs: startMs + dayMs };
}
