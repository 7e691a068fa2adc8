// EC2 instance types the demo's nodes run on, with list prices (us-east-1, December 2026) and the
// GPU board power the energy model needs; and the MIG profiles of 80 GB A100/H100 devices.

export interface InstanceType {
  name: string;
  vcpu: number;
  memoryGiB: number;
  gpuCount: number;
  gpuModel: string | null;
  gpuMemoryMiB: number;
  /** GPU board power at idle and at full load, for the power model. */
  gpuIdleWatts: number;
  gpuMaxWatts: number;
  onDemandUsdPerHour: string;
  /** Savings-plan effective rate (what FOCUS EffectiveCost shows for committed usage). */
  savingsPlanUsdPerHour: string;
}

const cpuOnly = { gpuCount: 0, gpuModel: null, gpuMemoryMiB: 0, gpuIdleWatts: 0, gpuMaxWatts: 0 } as const;

export const instanceTypes = {
  'p5.48xlarge': {
    name: 'p5.48xlarge',
    vcpu: 192,
    memoryGiB: 2048,
    gpuCount: 8,
    gpuModel: 'NVIDIA H100 80GB HBM3',
    gpuMemoryMiB: 81559,
    gpuIdleWatts: 70,
    gpuMaxWatts: 700,
    onDemandUsdPerHour: '55.04',
    savingsPlanUsdPerHour: '38.528',
  },
  'p4de.24xlarge': {
    name: 'p4de.24xlarge',
    vcpu: 96,
    memoryGiB: 1152,
    gpuCount: 8,
    gpuModel: 'NVIDIA A100-SXM4-80GB',
    gpuMemoryMiB: 81920,
    gpuIdleWatts: 60,
    gpuMaxWatts: 400,
    onDemandUsdPerHour: '40.9657',
    savingsPlanUsdPerHour: '28.676',
  },
  'p4d.24xlarge': {
    name: 'p4d.24xlarge',
    vcpu: 96,
    memoryGiB: 1152,
    gpuCount: 8,
    gpuModel: 'NVIDIA A100-SXM4-40GB',
    gpuMemoryMiB: 40960,
    gpuIdleWatts: 55,
    gpuMaxWatts: 400,
    onDemandUsdPerHour: '32.7726',
    savingsPlanUsdPerHour: '22.9408',
  },
  'g5.12xlarge': {
    name: 'g5.12xlarge',
    vcpu: 48,
    memoryGiB: 192,
    gpuCount: 4,
    gpuModel: 'NVIDIA A10G',
    gpuMemoryMiB: 23028,
    gpuIdleWatts: 22,
    gpuMaxWatts: 300,
    onDemandUsdPerHour: '5.672',
    savingsPlanUsdPerHour: '3.9704',
  },
  'g6.12xlarge': {
    name: 'g6.12xlarge',
    vcpu: 48,
    memoryGiB: 192,
    gpuCount: 4,
    gpuModel: 'NVIDIA L4',
    gpuMemoryMiB: 23034,
    gpuIdleWatts: 16,
    gpuMaxWatts: 72,
    onDemandUsdPerHour: '4.6016',
    savingsPlanUsdPerHour: '3.2211',
  },
  'm6i.2xlarge': {
    name: 'm6i.2xlarge',
    vcpu: 8,
    memoryGiB: 32,
    ...cpuOnly,
    onDemandUsdPerHour: '0.384',
    savingsPlanUsdPerHour: '0.2688',
  },
  'm6i.4xlarge': {
    name: 'm6i.4xlarge',
    vcpu: 16,
    memoryGiB: 64,
    ...cpuOnly,
    onDemandUsdPerHour: '0.768',
    savingsPlanUsdPerHour: '0.5376',
  },
  'r6i.4xlarge': {
    name: 'r6i.4xlarge',
    vcpu: 16,
    memoryGiB: 128,
    ...cpuOnly,
    onDemandUsdPerHour: '1.008',
    savingsPlanUsdPerHour: '0.7056',
  },
} as const satisfies Record<string, InstanceType>;

export type InstanceTypeName = keyof typeof instanceTypes;

/** MIG profiles of an 80 GB device: compute slices of 7, memory of the instance, DCGM profile id. */
export const migProfiles = {
  '1g.10gb': { computeSlices: 1, memoryMiB: 9856, profileId: 19 },
  '2g.20gb': { computeSlices: 2, memoryMiB: 19968, profileId: 14 },
  '3g.40gb': { computeSlices: 3, memoryMiB: 40192, profileId: 9 },
  '4g.40gb': { computeSlices: 4, memoryMiB: 40192, profileId: 5 },
  '7g.80gb': { computeSlices: 7, memoryMiB: 80896, profileId: 0 },
} as const;

export type MigProfile = keyof typeof migProfiles;

/** The extended resource a MIG profile is requested as (mixed strategy). */
export function migResourceName(profile: MigProfile): string {
  return `nvidia.com/mig-${profile}`;
}
