import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import Decimal from 'decimal.js';
import { clusters as allClusters, instanceTypes, type ClusterSpec, type NodeSpec } from '../topology.ts';
import { hashUniform } from '../sim/noise.ts';
import { focusColumns, type FocusRow } from './focus-columns.ts';

// A FOCUS 1.2 export per month, as AWS Data Exports would write it for the demo's accounts:
// hourly EC2 lines per node (savings-plan coverage at its effective rate), EKS fees, EBS and data
// transfer per day, the savings plan's recurring fee, and a monthly tax and credit.

export interface FocusExportOptions {
  dir: string;
  fromMs: number;
  toMs: number;
  seed: number;
  clusters?: ClusterSpec[];
  /** Keep files of months that were complete when written (their content depends only on topology and seed). */
  keepCompleteMonths?: boolean;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const ebsUsdPerGbMonth = new Decimal('0.08');
const dataTransferUsdPerGb = new Decimal('0.09');
const taxRate = new Decimal('0.06');
const monthlyCreditUsd = new Decimal('-250');
const regionNames: Record<string, string> = { 'us-east-1': 'US East (N. Virginia)', 'eu-west-1': 'Europe (Ireland)' };

export function focusFileName(monthStartMs: number): string {
  return `focus-${new Date(monthStartMs).toISOString().slice(0, 7)}.csv`;
}

/** Writes one CSV per month from the month holding `fromMs` to the one holding `toMs` (to date). */
export async function writeFocusExports(opts: FocusExportOptions): Promise<string[]> {
  await mkdir(opts.dir, { recursive: true });
  const files: string[] = [];
  for (let month = monthStart(opts.fromMs); month <= opts.toMs; month = nextMonth(month)) {
    const file = path.join(opts.dir, focusFileName(month));
    files.push(file);
    if (opts.keepCompleteMonths && nextMonth(month) <= opts.toMs && existsSync(file)) continue;
    const tmp = `${file}.tmp`;
    const out = createWriteStream(tmp);
    out.write(`${focusColumns.join(',')}\n`);
    for (const row of monthRows(opts, month, Math.min(nextMonth(month), Math.floor(opts.toMs / hourMs) * hourMs))) {
      if (!out.write(`${focusColumns.map((c) => csvField(row[c])).join(',')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await rename(tmp, file);
  }
  return files;
}

function* monthRows(opts: FocusExportOptions, periodStart: number, endMs: number): Generator<FocusRow> {
  const periodEnd = nextMonth(periodStart);
  const complete = endMs >= periodEnd;
  for (const spec of opts.clusters ?? allClusters) {
    const common = commonColumns(spec, periodStart, periodEnd, complete);
    let billed = new Decimal(0);
    const emit = (row: FocusRow): FocusRow => {
      billed = billed.plus(row.BilledCost ?? '0');
      return { ...common, ...row };
    };
    for (let h = periodStart; h < endMs; h += hourMs) {
      const period = { ChargePeriodStart: iso(h), ChargePeriodEnd: iso(h + hourMs) };
      for (const node of spec.nodes) yield emit({ ...period, ...nodeHourColumns(spec, node) });
      yield emit({ ...period, ...eksHourColumns(spec) });
      const covered = spec.nodes.filter((n) => n.pricing === 'savings-plan');
      if (covered.length > 0) yield emit({ ...period, ...savingsPlanFeeColumns(spec, covered) });
    }
    for (let d = periodStart; d < endMs; d += dayMs) {
      const dayEnd = Math.min(d + dayMs, endMs);
      const period = { ChargePeriodStart: iso(d), ChargePeriodEnd: iso(dayEnd) };
      const daysInMonth = (periodEnd - periodStart) / dayMs;
      const share = new Decimal(dayEnd - d).div(dayMs).div(daysInMonth);
      for (const node of spec.nodes) yield emit({ ...period, ...ebsColumns(spec, node, share) });
      yield emit({ ...period, ...dataTransferColumns(spec, opts.seed, d, new Decimal(dayEnd - d).div(dayMs)) });
    }
    const monthPeriod = { ChargePeriodStart: iso(periodStart), ChargePeriodEnd: iso(Math.min(periodEnd, endMs)) };
    const tax = billed.times(taxRate).toDecimalPlaces(2).toFixed(2);
    yield { ...common, ...monthPeriod, ...adjustmentColumns(spec, 'Tax', tax, `Tax for ${spec.subAccountName} for the billing period`) };
    if (spec === (opts.clusters ?? allClusters)[0]) {
      yield { ...common, ...monthPeriod, ...adjustmentColumns(spec, 'Credit', monthlyCreditUsd.toFixed(2), 'AWS Credits: ML Startup Program') };
    }
  }
}

function commonColumns(spec: ClusterSpec, periodStart: number, periodEnd: number, complete: boolean): FocusRow {
  return {
    BillingAccountId: spec.billingAccountId, BillingAccountName: 'Burnrate Demo Org', BillingAccountType: 'Billing Account',
    BillingCurrency: 'USD', PricingCurrency: 'USD',
    BillingPeriodStart: iso(periodStart), BillingPeriodEnd: iso(periodEnd),
    InvoiceId: complete ? `EUINUS${new Date(periodStart).toISOString().slice(2, 7).replace('-', '')}-${spec.billingAccountId.slice(-6)}` : '',
    InvoiceIssuerName: 'Amazon Web Services, Inc.', ProviderName: 'AWS', PublisherName: 'Amazon Web Services, Inc.',
    RegionId: spec.region, RegionName: regionNames[spec.region] ?? spec.region,
    SubAccountId: spec.subAccountId, SubAccountName: spec.subAccountName, SubAccountType: 'Linked Account',
  };
}

function savingsPlanArn(spec: ClusterSpec): string {
  return `arn:aws:savingsplans::${spec.subAccountId}:savingsplan/${spec.name}-compute-sp`;
}

function nodeHourColumns(spec: ClusterSpec, node: NodeSpec): FocusRow {
  const type = instanceTypes[node.instanceType];
  const list = new Decimal(type.onDemandUsdPerHour);
  const covered = node.pricing === 'savings-plan';
  const effective = covered ? new Decimal(type.savingsPlanUsdPerHour) : list;
  return {
    ChargeCategory: 'Usage', ChargeClass: '', ChargeFrequency: 'Usage-Based',
    ChargeDescription: covered
      ? `Compute Savings Plans covered usage: ${type.name} Linux at $${type.savingsPlanUsdPerHour}/hour`
      : `$${type.onDemandUsdPerHour} per On Demand Linux ${type.name} Instance Hour`,
    AvailabilityZone: node.zone, ResourceId: node.instanceId, ResourceName: node.name, ResourceType: 'Virtual Machine',
    ServiceCategory: 'Compute', ServiceSubcategory: 'Virtual Machines', ServiceName: 'Amazon Elastic Compute Cloud',
    SkuId: sku(`ec2/${spec.region}/${type.name}`), SkuPriceId: sku(`ec2/${spec.region}/${type.name}/${node.pricing}`),
    ConsumedQuantity: '1', ConsumedUnit: 'Hours', PricingQuantity: '1', PricingUnit: 'Hours',
    ListUnitPrice: list.toFixed(), ListCost: money(list), ContractedUnitPrice: list.toFixed(), ContractedCost: money(list),
    BilledCost: money(covered ? new Decimal(0) : list), EffectiveCost: money(effective),
    PricingCategory: covered ? 'Committed' : 'Standard',
    ...(covered ? {
      CommitmentDiscountCategory: 'Spend', CommitmentDiscountId: savingsPlanArn(spec), CommitmentDiscountName: `${spec.subAccountName}-compute-sp`,
      CommitmentDiscountQuantity: effective.toFixed(), CommitmentDiscountStatus: 'Used', CommitmentDiscountType: 'Compute Savings Plan',
      CommitmentDiscountUnit: 'USD',
    } : {}),
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name, 'node.kubernetes.io/instance-type': type.name }),
  };
}

function savingsPlanFeeColumns(spec: ClusterSpec, covered: NodeSpec[]): FocusRow {
  const fee = covered.reduce((s, n) => s.plus(instanceTypes[n.instanceType].savingsPlanUsdPerHour), new Decimal(0));
  return {
    ChargeCategory: 'Purchase', ChargeClass: '', ChargeFrequency: 'Recurring',
    ChargeDescription: `Savings Plan recurring fee: $${fee.toFixed()} hourly commitment`,
    ResourceId: savingsPlanArn(spec), ResourceName: `${spec.subAccountName}-compute-sp`, ResourceType: 'Savings Plan',
    ServiceCategory: 'Compute', ServiceSubcategory: 'Other (Compute)', ServiceName: 'Savings Plans for AWS Compute usage',
    SkuId: sku('savingsplan/compute'), SkuPriceId: sku(`savingsplan/compute/${spec.name}`),
    PricingQuantity: fee.toFixed(), PricingUnit: 'USD', PricingCategory: 'Committed',
    ListUnitPrice: '1', ListCost: money(fee), ContractedUnitPrice: '1', ContractedCost: money(fee),
    // The fee is billed here and amortised onto the covered usage lines, so its effective cost is 0.
    BilledCost: money(fee), EffectiveCost: money(new Decimal(0)),
    CommitmentDiscountCategory: 'Spend', CommitmentDiscountId: savingsPlanArn(spec), CommitmentDiscountName: `${spec.subAccountName}-compute-sp`,
    CommitmentDiscountType: 'Compute Savings Plan',
  };
}

function eksHourColumns(spec: ClusterSpec): FocusRow {
  const price = new Decimal(spec.controlPlaneUsdPerHour);
  return {
    ChargeCategory: 'Usage', ChargeClass: '', ChargeFrequency: 'Usage-Based',
    ChargeDescription: `$${price.toFixed(2)} per hour per Amazon EKS cluster`,
    ResourceId: `arn:aws:eks:${spec.region}:${spec.subAccountId}:cluster/${spec.name}`, ResourceName: spec.name, ResourceType: 'Cluster',
    ServiceCategory: 'Compute', ServiceSubcategory: 'Containers', ServiceName: 'Amazon Elastic Kubernetes Service',
    SkuId: sku(`eks/${spec.region}`), SkuPriceId: sku(`eks/${spec.region}/hour`),
    ConsumedQuantity: '1', ConsumedUnit: 'Hours', PricingQuantity: '1', PricingUnit: 'Hours', PricingCategory: 'Standard',
    ...sameCosts(price, price),
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name }),
  };
}

function ebsColumns(spec: ClusterSpec, node: NodeSpec, monthShare: Decimal): FocusRow {
  const sizeGb = instanceTypes[node.instanceType].gpuCount > 0 ? 500 : 100;
  const quantity = monthShare.times(sizeGb).toDecimalPlaces(10);
  return {
    ChargeCategory: 'Usage', ChargeClass: '', ChargeFrequency: 'Usage-Based',
    ChargeDescription: `$${ebsUsdPerGbMonth.toFixed(2)} per GB-month of General Purpose (gp3) provisioned storage`,
    AvailabilityZone: node.zone, ResourceId: `vol-${node.instanceId.slice(2)}`, ResourceName: `${node.name}-root`, ResourceType: 'Volume',
    ServiceCategory: 'Storage', ServiceSubcategory: 'Block Storage', ServiceName: 'Amazon Elastic Block Store',
    SkuId: sku(`ebs/${spec.region}/gp3`), SkuPriceId: sku(`ebs/${spec.region}/gp3/gb-month`),
    ConsumedQuantity: quantity.toFixed(), ConsumedUnit: 'GB-Mo', PricingQuantity: quantity.toFixed(), PricingUnit: 'GB-Mo',
    PricingCategory: 'Standard', ...sameCosts(quantity.times(ebsUsdPerGbMonth), ebsUsdPerGbMonth),
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name, 'kubernetes.io/created-for/node': node.name }),
  };
}

function dataTransferColumns(spec: ClusterSpec, seed: number, dayStartMs: number, dayShare: Decimal): FocusRow {
  const gbPerDay = 40 + 30 * hashUniform(seed, `${spec.name}/egress`, Math.floor(dayStartMs / dayMs));
  const quantity = dayShare.times(new Decimal(gbPerDay).toDecimalPlaces(3)).toDecimalPlaces(6);
  return {
    ChargeCategory: 'Usage', ChargeClass: '', ChargeFrequency: 'Usage-Based',
    ChargeDescription: `$${dataTransferUsdPerGb.toFixed(2)} per GB - first 10 TB / month data transfer out beyond the global free tier`,
    ServiceCategory: 'Networking', ServiceSubcategory: 'Data Transfer', ServiceName: 'AWS Data Transfer',
    SkuId: sku(`dt/${spec.region}/out`), SkuPriceId: sku(`dt/${spec.region}/out/tier1`),
    ConsumedQuantity: quantity.toFixed(), ConsumedUnit: 'GB', PricingQuantity: quantity.toFixed(), PricingUnit: 'GB',
    PricingCategory: 'Standard', ...sameCosts(quantity.times(dataTransferUsdPerGb), dataTransferUsdPerGb),
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name }),
  };
}

function adjustmentColumns(spec: ClusterSpec, category: 'Tax' | 'Credit', amount: string, description: string): FocusRow {
  return {
    ChargeCategory: category, ChargeClass: '', ChargeFrequency: 'One-Time', ChargeDescription: description,
    ServiceCategory: 'Compute', ServiceSubcategory: 'Virtual Machines', ServiceName: 'Amazon Elastic Compute Cloud',
    BilledCost: amount, EffectiveCost: amount, ListCost: category === 'Tax' ? amount : '0', ContractedCost: category === 'Tax' ? amount : '0',
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name }),
  };
}

function sameCosts(cost: Decimal, unitPrice: Decimal): FocusRow {
  const c = money(cost);
  return { ListUnitPrice: unitPrice.toFixed(), ListCost: c, ContractedUnitPrice: unitPrice.toFixed(), ContractedCost: c, BilledCost: c, EffectiveCost: c };
}

function money(d: Decimal): string {
  return d.toDecimalPlaces(10).toFixed(10);
}

function sku(key: string): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[Math.floor(hashUniform(7, key, i) * alphabet.length)];
  return out;
}

function csvField(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
