import type { ClusterSpec } from '../../topology.ts';
import { instanceTypes } from '../../topology.ts';
import type { SampleSink } from '../samples.ts';

// OpenCost's default unit prices for CPU and RAM; the GPU gets the rest of the list price.
const defaultCpuUsdPerCoreHour = 0.031611;
const defaultRamUsdPerGiBHour = 0.004237;

export interface NodeUnitPrices {
  cpuUsdPerCoreHour: number;
  ramUsdPerGiBHour: number;
  gpuUsdPerGpuHour: number;
  totalUsdPerHour: number;
}

export function nodeUnitPrices(instanceType: keyof typeof instanceTypes): NodeUnitPrices {
  const type = instanceTypes[instanceType];
  const total = Number(type.onDemandUsdPerHour);
  const cpu = type.vcpu * defaultCpuUsdPerCoreHour;
  const ram = type.memoryGiB * defaultRamUsdPerGiBHour;
  if (type.gpuCount > 0) {
    return {
      cpuUsdPerCoreHour: defaultCpuUsdPerCoreHour,
      ramUsdPerGiBHour: defaultRamUsdPerGiBHour,
      gpuUsdPerGpuHour: (total - cpu - ram) / type.gpuCount,
      totalUsdPerHour: total,
    };
  }
  const scale = total / (cpu + ram);
  return {
    cpuUsdPerCoreHour: defaultCpuUsdPerCoreHour * scale,
    ramUsdPerGiBHour: defaultRamUsdPerGiBHour * scale,
    gpuUsdPerGpuHour: 0,
    totalUsdPerHour: total,
  };
}

export function openCostSamples(spec: ClusterSpec, sink: SampleSink): void {
  for (const node of spec.nodes) {
    const prices = nodeUnitPrices(node.instanceType);
    const labels = {
      instance: node.name,
      node: node.name,
      instance_type: node.instanceType,
      region: spec.region,
      provider_id: node.providerID,
      arch: 'amd64',
    };
    sink.gauge('opencost', 'node_cpu_hourly_cost', labels, round6(prices.cpuUsdPerCoreHour));
    sink.gauge('opencost', 'node_ram_hourly_cost', labels, round6(prices.ramUsdPerGiBHour));
    sink.gauge('opencost', 'node_gpu_hourly_cost', labels, round6(prices.gpuUsdPerGpuHour));
    sink.gauge('opencost', 'node_gpu_count', labels, instanceTypes[node.instanceType].gpuCount);
    sink.gauge('opencost', 'node_total_hourly_cost', labels, prices.totalUsdPerHour);
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
