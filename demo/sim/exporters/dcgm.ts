import type { ClusterSpec } from '../../topology.ts';
import { gpuUuid, instanceTypes } from '../../topology.ts';
import type { ClusterActivity } from '../activity.ts';
import { hashNormal } from '../noise.ts';
import type { SampleSink } from '../samples.ts';
import { modelBucketMs } from '../traffic.ts';

interface Tenant {
  activity: ClusterActivity['pods'][number];
  util: number;
  memoryMiB: number;
}

export interface GpuReading {
  nodeName: string;
  index: number;
  util: number;
  powerWatts: number;
  temperatureCelsius: number;
}

/** Watts drawn by a device at a utilisation: idle floor plus a slightly convex rise to max. */
export function gpuPowerWatts(idleWatts: number, maxWatts: number, util: number): number {
  return idleWatts + (maxWatts - idleWatts) * Math.pow(Math.max(0, Math.min(1, util)), 1.2);
}

/** 32 °C idle, 80 °C flat out; the `gpu-hot` scenario adds a failing fan's 25 °C, up to the 93 °C slowdown point. */
export function gpuTemperatureCelsius(util: number, hot: boolean): number {
  return Math.min(93, 32 + 48 * util + (hot ? 25 : 0));
}

/**
 * dcgm-exporter: one series per device, or per (device, pod) when pods share it by time-slicing,
 * as dcgm-exporter does with its Kubernetes pod mapping. Returns each pod's GPU watts for Kepler.
 */
export function dcgmSamples(
  spec: ClusterSpec, activity: ClusterActivity, tMs: number, seed: number, hotNode: string | null, sink: SampleSink,
): Map<string, number> {
  const podGpuWatts = new Map<string, number>();
  const bucket = Math.floor(tMs / modelBucketMs);
  const tenantsByDevice = new Map<string, Tenant[]>();
  for (const a of activity.pods) {
    a.pod.gpuIndexes.forEach((index, at) => {
      const key = `${a.pod.nodeName}/${index}`;
      const tenant = { activity: a, util: a.gpuUtil[at] ?? 0, memoryMiB: a.gpuMemoryMiB[at] ?? 0 };
      const list = tenantsByDevice.get(key);
      if (list) list.push(tenant);
      else tenantsByDevice.set(key, [tenant]);
    });
  }
  for (const node of spec.nodes) {
    const type = instanceTypes[node.instanceType];
    for (let index = 0; index < type.gpuCount; index++) {
      const tenants = tenantsByDevice.get(`${node.name}/${index}`) ?? [];
      const util = Math.min(1, tenants.reduce((s, t) => s + t.util, 0));
      const usedMiB = Math.min(type.gpuMemoryMiB, tenants.reduce((s, t) => s + t.memoryMiB, 0));
      const hot = hotNode === node.name;
      const noise = hashNormal(seed, `${spec.name}/${node.name}/${index}`, bucket);
      const powerWatts = gpuPowerWatts(type.gpuIdleWatts, type.gpuMaxWatts, util) * (1 + 0.015 * noise) * (hot ? 1.05 : 1);
      const temperature = Math.round(gpuTemperatureCelsius(util, hot) + 1.5 * noise);
      const uuid = gpuUuid(node.name, index);
      const base = { gpu: index, UUID: uuid, device: `nvidia${index}`, modelName: type.gpuModel ?? '', Hostname: node.name, DCGM_FI_DRIVER_VERSION: '535.183.01' };
      const owners = tenants.length === 0
        ? [base]
        : tenants.map((t) => ({ ...base, container: t.activity.pod.containerName, namespace: t.activity.pod.namespace, pod: t.activity.pod.name }));
      for (const t of tenants) {
        const share = util > 0 ? t.util / util : 1 / tenants.length;
        podGpuWatts.set(t.activity.pod.uid, (podGpuWatts.get(t.activity.pod.uid) ?? 0) + powerWatts * share);
      }
      for (const labels of owners) {
        sink.gauge('dcgm', 'DCGM_FI_DEV_GPU_UTIL', labels, Math.round(util * 100));
        sink.gauge('dcgm', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels, round4(util * 0.93));
        sink.gauge('dcgm', 'DCGM_FI_PROF_SM_ACTIVE', labels, round4(util * 0.81));
        sink.gauge('dcgm', 'DCGM_FI_DEV_FB_USED', labels, usedMiB);
        sink.gauge('dcgm', 'DCGM_FI_DEV_FB_FREE', labels, type.gpuMemoryMiB - usedMiB);
        sink.gauge('dcgm', 'DCGM_FI_DEV_GPU_TEMP', labels, temperature);
        sink.gauge('dcgm', 'DCGM_FI_DEV_POWER_USAGE', labels, round4(powerWatts));
        // The energy counter belongs to the device, whichever pod label the series carries.
        sink.counter('dcgm', 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', labels, powerWatts * 1000);
        const last = sink.samples[sink.samples.length - 1]!;
        last.accumulatorKey = `energy/${uuid}`;
      }
    }
  }
  return podGpuWatts;
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
