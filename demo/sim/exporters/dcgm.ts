import type { ClusterSpec, NodeSpec } from '../../topology.ts';
import { gpuUuid, instanceTypes, migInstancesOf, migProfiles } from '../../topology.ts';
import type { ClusterActivity, PodActivity } from '../activity.ts';
import { hashNormal } from '../noise.ts';
import type { SimPod } from '../cluster-state.ts';
import { labelText, type SampleSink } from '../samples.ts';
import { modelBucketMs } from '../traffic.ts';

/** Watts drawn by a device at a utilisation: idle floor plus a slightly convex rise to max. */
export function gpuPowerWatts(idleWatts: number, maxWatts: number, util: number): number {
  return idleWatts + (maxWatts - idleWatts) * Math.pow(Math.max(0, Math.min(1, util)), 1.2);
}

/** 32 °C idle, 80 °C flat out; the `gpu-hot` scenario adds a failing fan's 25 °C, up to the 93 °C slowdown point. */
export function gpuTemperatureCelsius(util: number, hot: boolean): number {
  return Math.min(93, 32 + 48 * util + (hot ? 25 : 0));
}

interface Tenant {
  activity: PodActivity;
  util: number;
  memoryMiB: number;
}

/** What one dcgm-exporter series reports on: a device, or one MIG instance of it. */
interface Entity {
  labels: Record<string, string | number>;
  tenants: Tenant[];
  /** Busy share and framebuffer of the entity itself. */
  util: number;
  usedMiB: number;
  totalMiB: number;
  mig: boolean;
}

function tenantsOf(pods: PodActivity[], index: number, instanceId?: number): Tenant[] {
  return pods.flatMap((a) =>
    a.pod.gpuIndexes.flatMap((gpu, at) =>
      gpu === index && (instanceId === undefined || a.pod.migInstanceIds[at] === instanceId)
        ? [{ activity: a, util: a.gpuUtil[at] ?? 0, memoryMiB: a.gpuMemoryMiB[at] ?? 0 }]
        : [],
    ),
  );
}

type Labels = Record<string, string | number>;

/** Rendered label texts: of entities without a pod (a few hundred devices), and per pod object. */
const idleTexts = new Map<string, string>();
const podTexts = new WeakMap<SimPod, Map<string, string>>();

function entityKey(labels: Labels): string {
  return `${labels.UUID}/${labels.GPU_I_ID ?? ''}`;
}

function entityText(labels: Labels): string {
  const key = entityKey(labels);
  let text = idleTexts.get(key);
  if (text === undefined) idleTexts.set(key, (text = labelText(labels)));
  return text;
}

function tenantText(labels: Labels, pod: SimPod): string {
  let texts = podTexts.get(pod);
  if (!texts) podTexts.set(pod, (texts = new Map()));
  const key = entityKey(labels);
  let text = texts.get(key);
  if (text === undefined)
    texts.set(
      key,
      (text = labelText({ ...labels, container: pod.containerName, namespace: pod.namespace, pod: pod.name })),
    );
  return text;
}

/** The entities of one device: itself, or its MIG instances (labelled GPU_I_ID and GPU_I_PROFILE as dcgm-exporter does). */
function entitiesOf(
  node: NodeSpec,
  index: number,
  pods: PodActivity[],
  base: Record<string, string | number>,
): { entities: Entity[]; deviceUtil: number } {
  const type = instanceTypes[node.instanceType];
  const instances = migInstancesOf(node).filter((i) => i.gpu === index);
  if (instances.length === 0) {
    const tenants = tenantsOf(pods, index);
    const util = Math.min(
      1,
      tenants.reduce((s, t) => s + t.util, 0),
    );
    const usedMiB = Math.min(
      type.gpuMemoryMiB,
      tenants.reduce((s, t) => s + t.memoryMiB, 0),
    );
    return {
      entities: [{ labels: base, tenants, util, usedMiB, totalMiB: type.gpuMemoryMiB, mig: false }],
      deviceUtil: util,
    };
  }
  let deviceUtil = 0;
  const entities = instances.map((i) => {
    const profile = migProfiles[i.profile];
    const tenants = tenantsOf(pods, index, i.instanceId);
    const util = Math.min(
      1,
      tenants.reduce((s, t) => s + t.util, 0),
    );
    deviceUtil += (util * profile.computeSlices) / 7;
    const usedMiB = Math.min(
      profile.memoryMiB,
      tenants.reduce((s, t) => s + t.memoryMiB, 0),
    );
    return {
      labels: { ...base, GPU_I_ID: i.instanceId, GPU_I_PROFILE: i.profile },
      tenants,
      util,
      usedMiB,
      totalMiB: profile.memoryMiB,
      mig: true,
    };
  });
  return { entities, deviceUtil: Math.min(1, deviceUtil) };
}

/**
 * dcgm-exporter: one series per device, per MIG instance, or per (device, pod) when pods share it
 * by time-slicing, as dcgm-exporter does with its Kubernetes pod mapping. Power, temperature and
 * energy belong to the device and repeat on each of its series. Returns each pod's GPU watts for Kepler.
 */
export function dcgmSamples(
  spec: ClusterSpec,
  activity: ClusterActivity,
  tMs: number,
  seed: number,
  hotNode: string | null,
  sink: SampleSink,
): Map<string, number> {
  const podGpuWatts = new Map<string, number>();
  const bucket = Math.floor(tMs / modelBucketMs);
  const byNode = new Map<string, PodActivity[]>();
  for (const a of activity.pods) {
    if (a.pod.gpuIndexes.length > 0 && a.pod.nodeName)
      byNode.set(a.pod.nodeName, [...(byNode.get(a.pod.nodeName) ?? []), a]);
  }
  for (const node of spec.nodes) {
    const type = instanceTypes[node.instanceType];
    const pods = byNode.get(node.name) ?? [];
    for (let index = 0; index < type.gpuCount; index++) {
      const uuid = gpuUuid(node.name, index);
      const base = {
        gpu: index,
        UUID: uuid,
        device: `nvidia${index}`,
        modelName: type.gpuModel ?? '',
        Hostname: node.name,
        DCGM_FI_DRIVER_VERSION: '535.183.01',
      };
      const { entities, deviceUtil } = entitiesOf(node, index, pods, base);
      const hot = hotNode === node.name;
      const noise = hashNormal(seed, `${spec.name}/${node.name}/${index}`, bucket);
      const powerWatts =
        gpuPowerWatts(type.gpuIdleWatts, type.gpuMaxWatts, deviceUtil) * (1 + 0.015 * noise) * (hot ? 1.05 : 1);
      const temperature = Math.round(gpuTemperatureCelsius(deviceUtil, hot) + 1.5 * noise);
      const tenants = entities.flatMap((e) => e.tenants);
      const tenantUtil = tenants.reduce((s, x) => s + x.util, 0);
      for (const t of tenants) {
        const share = tenantUtil > 0 ? t.util / tenantUtil : 1 / tenants.length;
        podGpuWatts.set(t.activity.pod.uid, (podGpuWatts.get(t.activity.pod.uid) ?? 0) + powerWatts * share);
      }
      for (const e of entities) {
        const owners =
          e.tenants.length === 0 ? [entityText(e.labels)] : e.tenants.map((t) => tenantText(e.labels, t.activity.pod));
        for (const text of owners) {
          // MIG instances have no GPU_UTIL in DCGM; profiling fields are per instance.
          if (!e.mig) sink.gaugeText('dcgm', 'DCGM_FI_DEV_GPU_UTIL', text, Math.round(e.util * 100));
          sink.gaugeText('dcgm', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', text, round4(e.util * 0.93));
          sink.gaugeText('dcgm', 'DCGM_FI_PROF_SM_ACTIVE', text, round4(e.util * 0.81));
          sink.gaugeText('dcgm', 'DCGM_FI_DEV_FB_USED', text, e.usedMiB);
          sink.gaugeText('dcgm', 'DCGM_FI_DEV_FB_FREE', text, e.totalMiB - e.usedMiB);
          sink.gaugeText('dcgm', 'DCGM_FI_DEV_GPU_TEMP', text, temperature);
          sink.gaugeText('dcgm', 'DCGM_FI_DEV_POWER_USAGE', text, round4(powerWatts));
          // The energy counter belongs to the device, whichever pod or instance label the series carries.
          sink.counterText('dcgm', 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', text, powerWatts * 1000, `energy/${uuid}`);
        }
      }
    }
  }
  return podGpuWatts;
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
