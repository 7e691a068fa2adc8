// FOCUS lines of services beside the nodes: their EBS volumes and the cluster's data transfer
// (tagged with the cluster), and resources no node matches: an RDS database and an S3 bucket.
import Decimal from 'decimal.js';
import { instanceTypes, type ClusterSpec, type NodeSpec } from '../topology.ts';
import { hashUniform } from '../sim/noise.ts';
import type { FocusRow } from './focus-columns.ts';
import { dayMs, sameCosts, sku } from './focus-format.ts';
import { dataTransferUsdPerGb, ebsUsdPerGbMonth, managedDatabase, objectStorage } from './price-sheet.ts';

export function ebsColumns(spec: ClusterSpec, node: NodeSpec, monthShare: Decimal): FocusRow {
  const sizeGb = instanceTypes[node.instanceType].gpuCount > 0 ? 500 : 100;
  const quantity = monthShare.times(sizeGb).toDecimalPlaces(10);
  return {
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: `$${ebsUsdPerGbMonth.toFixed(2)} per GB-month of General Purpose (gp3) provisioned storage`,
    AvailabilityZone: node.zone,
    ResourceId: `vol-${node.instanceId.slice(2)}`,
    ResourceName: `${node.name}-root`,
    ResourceType: 'Volume',
    ServiceCategory: 'Storage',
    ServiceSubcategory: 'Block Storage',
    ServiceName: 'Amazon Elastic Block Store',
    SkuId: sku(`ebs/${spec.region}/gp3`),
    SkuPriceId: sku(`ebs/${spec.region}/gp3/gb-month`),
    ConsumedQuantity: quantity.toFixed(),
    ConsumedUnit: 'GB-Mo',
    PricingQuantity: quantity.toFixed(),
    PricingUnit: 'GB-Mo',
    PricingCategory: 'Standard',
    ...sameCosts(quantity.times(ebsUsdPerGbMonth), ebsUsdPerGbMonth),
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name, 'kubernetes.io/created-for/node': node.name }),
  };
}

export function dataTransferColumns(spec: ClusterSpec, seed: number, dayStartMs: number, dayShare: Decimal): FocusRow {
  const gbPerDay = 40 + 30 * hashUniform(seed, `${spec.name}/egress`, Math.floor(dayStartMs / dayMs));
  const quantity = dayShare.times(new Decimal(gbPerDay).toDecimalPlaces(3)).toDecimalPlaces(6);
  return {
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: `$${dataTransferUsdPerGb.toFixed(2)} per GB - first 10 TB / month data transfer out beyond the global free tier`,
    ServiceCategory: 'Networking',
    ServiceSubcategory: 'Network Connectivity',
    ServiceName: 'AWS Data Transfer',
    SkuId: sku(`dt/${spec.region}/out`),
    SkuPriceId: sku(`dt/${spec.region}/out/tier1`),
    ConsumedQuantity: quantity.toFixed(),
    ConsumedUnit: 'GB',
    PricingQuantity: quantity.toFixed(),
    PricingUnit: 'GB',
    PricingCategory: 'Standard',
    ...sameCosts(quantity.times(dataTransferUsdPerGb), dataTransferUsdPerGb),
    Tags: JSON.stringify({ 'eks:cluster-name': spec.name }),
  };
}

export function bucketName(spec: ClusterSpec): string {
  return `${spec.subAccountName}-artifacts-${spec.region}`;
}

export function objectStorageColumns(spec: ClusterSpec, monthShare: Decimal): FocusRow {
  const quantity = monthShare.times(objectStorage.sizeGb).toDecimalPlaces(10);
  const bucket = bucketName(spec);
  return {
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: `$${objectStorage.usdPerGbMonth.toFixed()} per GB - first 50 TB / month of storage used`,
    ResourceId: `arn:aws:s3:::${bucket}`,
    ResourceName: bucket,
    ResourceType: 'Bucket',
    ServiceCategory: 'Storage',
    ServiceSubcategory: 'Object Storage',
    ServiceName: 'Amazon Simple Storage Service',
    SkuId: sku(`s3/${spec.region}/standard`),
    SkuPriceId: sku(`s3/${spec.region}/standard/tier1`),
    ConsumedQuantity: quantity.toFixed(),
    ConsumedUnit: 'GB-Mo',
    PricingQuantity: quantity.toFixed(),
    PricingUnit: 'GB-Mo',
    PricingCategory: 'Standard',
    ...sameCosts(quantity.times(objectStorage.usdPerGbMonth), objectStorage.usdPerGbMonth),
    Tags: JSON.stringify({ team: spec.pipelines[0]?.team ?? objectStorage.team }),
  };
}

export function databaseArn(spec: ClusterSpec): string {
  return `arn:aws:rds:${spec.region}:${spec.subAccountId}:db:${managedDatabase.name}`;
}

/** `hours` of the database, negative on a refund. */
export function databaseColumns(spec: ClusterSpec, hours: Decimal): FocusRow {
  const db = managedDatabase;
  return {
    ChargeDescription: `RDS for ${db.engine} ${db.instanceClass} Multi-AZ instance hour, $${db.usdPerHour.toFixed()} per hour`,
    AvailabilityZone: `${spec.region}a`,
    ResourceId: databaseArn(spec),
    ResourceName: db.name,
    ResourceType: 'DB Instance',
    ServiceCategory: 'Databases',
    ServiceSubcategory: 'Relational Databases',
    ServiceName: 'Amazon Relational Database Service',
    SkuId: sku(`rds/${spec.region}/${db.instanceClass}/multi-az`),
    SkuPriceId: sku(`rds/${spec.region}/${db.instanceClass}/hour`),
    ConsumedQuantity: hours.toFixed(),
    ConsumedUnit: 'Hours',
    PricingQuantity: hours.toFixed(),
    PricingUnit: 'Hours',
    ...sameCosts(hours.times(db.usdPerHour), db.usdPerHour),
    Tags: JSON.stringify({ team: db.team, application: 'mlflow' }),
  };
}

export function databaseHourColumns(spec: ClusterSpec, hours: Decimal): FocusRow {
  return {
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeFrequency: 'Usage-Based',
    PricingCategory: 'Standard',
    ...databaseColumns(spec, hours),
  };
}
