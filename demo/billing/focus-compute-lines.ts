// FOCUS lines of the clusters' compute: each node's instance hour (savings plan, on demand or
// spot), the savings plan's recurring fee and the EKS control plane.
import Decimal from 'decimal.js';
import { instanceTypes, type ClusterSpec, type NodeSpec } from '../topology.ts';
import type { FocusRow } from './focus-columns.ts';
import { money, sameCosts, sku } from './focus-format.ts';
import { spotUsdPerHour } from './price-sheet.ts';

export function savingsPlanArn(spec: ClusterSpec): string {
  return `arn:aws:savingsplans::${spec.subAccountId}:savingsplan/${spec.name}-compute-sp`;
}

function commitmentColumns(spec: ClusterSpec): FocusRow {
  return {
    CommitmentDiscountCategory: 'Spend',
    CommitmentDiscountId: savingsPlanArn(spec),
    CommitmentDiscountName: `${spec.subAccountName}-compute-sp`,
    CommitmentDiscountType: 'Compute Savings Plan',
  };
}

/** The hourly rate the node is billed (BilledCost) and what it costs after amortisation (EffectiveCost). */
export function nodeHourlyRates(node: NodeSpec): { listUsd: Decimal; billedUsd: Decimal; effectiveUsd: Decimal } {
  const type = instanceTypes[node.instanceType];
  const listUsd = new Decimal(type.onDemandUsdPerHour);
  if (node.pricing === 'savings-plan') {
    return { listUsd, billedUsd: new Decimal(0), effectiveUsd: new Decimal(type.savingsPlanUsdPerHour) };
  }
  const rate = node.pricing === 'spot' ? spotUsdPerHour(node.instanceType) : listUsd;
  return { listUsd, billedUsd: rate, effectiveUsd: rate };
}

/** The node's `hours` of one charge period (1 in an hourly export). */
export function nodeHourColumns(spec: ClusterSpec, node: NodeSpec, hours: Decimal): FocusRow {
  const type = instanceTypes[node.instanceType];
  const { listUsd, billedUsd, effectiveUsd } = nodeHourlyRates(node);
  const descriptions: Record<NodeSpec['pricing'], string> = {
    'savings-plan': `Compute Savings Plans covered usage: ${type.name} Linux at $${effectiveUsd.toFixed()}/hour`,
    'on-demand': `$${listUsd.toFixed()} per On Demand Linux ${type.name} Instance Hour`,
    spot: `$${effectiveUsd.toFixed()} per Linux ${type.name} Spot Instance-hour`,
  };
  // Spot is priced by AWS and changes without notice: FOCUS calls that Dynamic, contracted at the spot rate.
  const contractedUsd = node.pricing === 'spot' ? effectiveUsd : listUsd;
  return {
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: descriptions[node.pricing],
    AvailabilityZone: node.zone,
    ResourceId: node.instanceId,
    ResourceName: node.name,
    ResourceType: 'Virtual Machine',
    ServiceCategory: 'Compute',
    ServiceSubcategory: 'Virtual Machines',
    ServiceName: 'Amazon Elastic Compute Cloud',
    SkuId: sku(`ec2/${spec.region}/${type.name}`),
    SkuPriceId: sku(`ec2/${spec.region}/${type.name}/${node.pricing}`),
    ConsumedQuantity: hours.toFixed(),
    ConsumedUnit: 'Hours',
    PricingQuantity: hours.toFixed(),
    PricingUnit: 'Hours',
    ListUnitPrice: listUsd.toFixed(),
    ListCost: money(listUsd.times(hours)),
    ContractedUnitPrice: contractedUsd.toFixed(),
    ContractedCost: money(contractedUsd.times(hours)),
    BilledCost: money(billedUsd.times(hours)),
    EffectiveCost: money(effectiveUsd.times(hours)),
    PricingCategory: { 'savings-plan': 'Committed', 'on-demand': 'Standard', spot: 'Dynamic' }[node.pricing],
    ...(node.pricing === 'savings-plan'
      ? {
          ...commitmentColumns(spec),
          CommitmentDiscountQuantity: effectiveUsd.times(hours).toFixed(),
          CommitmentDiscountStatus: 'Used',
          CommitmentDiscountUnit: 'USD',
        }
      : {}),
    Tags: JSON.stringify({
      'eks:cluster-name': spec.name,
      'node.kubernetes.io/instance-type': type.name,
      ...(node.pricing === 'spot' ? { 'karpenter.sh/capacity-type': 'spot' } : {}),
    }),
  };
}

export function savingsPlanFeeColumns(spec: ClusterSpec, covered: NodeSpec[], hours: Decimal): FocusRow {
  const hourlyFee = covered.reduce(
    (s, n) => s.plus(instanceTypes[n.instanceType].savingsPlanUsdPerHour),
    new Decimal(0),
  );
  const fee = hourlyFee.times(hours);
  return {
    ChargeCategory: 'Purchase',
    ChargeClass: '',
    ChargeFrequency: 'Recurring',
    ChargeDescription: `Savings Plan recurring fee: $${hourlyFee.toFixed()} hourly commitment`,
    ResourceId: savingsPlanArn(spec),
    ResourceName: `${spec.subAccountName}-compute-sp`,
    ResourceType: 'Savings Plan',
    ServiceCategory: 'Compute',
    ServiceSubcategory: 'Other (Compute)',
    ServiceName: 'Savings Plans for AWS Compute usage',
    SkuId: sku('savingsplan/compute'),
    SkuPriceId: sku(`savingsplan/compute/${spec.name}`),
    PricingQuantity: fee.toFixed(),
    PricingUnit: 'USD',
    PricingCategory: 'Standard',
    ListUnitPrice: '1',
    ListCost: money(fee),
    ContractedUnitPrice: '1',
    ContractedCost: money(fee),
    // The fee is billed here and amortised onto the covered usage lines, so its effective cost is 0.
    BilledCost: money(fee),
    EffectiveCost: money(new Decimal(0)),
    ...commitmentColumns(spec),
  };
}

export function eksHourColumns(spec: ClusterSpec, hours: Decimal): FocusRow {
  const price = new Decimal(spec.controlPlaneUsdPerHour);
  return {
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: `$${price.toFixed(2)} per hour per Amazon EKS cluster`,
    ResourceId: `arn:aws:eks:${spec.region}:${spec.subAccountId}:cluster/${spec.name}`,
    ResourceName: spec.name,
    ResourceType: 'Cluster',
    ServiceCategory: 'Compute',
    ServiceSubcategory: 'Containers',
    ServiceName: 'Amazon Elastic Kubernetes Service',
    SkuId: sku(`eks/${spec.region}`),
    SkuPriceId: sku(`eks/${spec.region}/hour`),
    ConsumedQuantity: hours.toFixed(),
    ConsumedUnit: 'Hours',
    PricingQuantity: hours.toFixed(),
    PricingUnit: 'Hours',
    PricingCategory: 'Standard',
    ...sameCosts(price.times(hours), price),
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name }),
  };
}
