import type { ServingWorkload } from '../topology.ts';
import { hashNormal, hashUniform } from './noise.ts';
import type { ScenarioName } from './scenario.ts';

/** Traffic, noise and spikes are constant within one minute: history and live agree per minute. */
export const modelBucketMs = 60_000;

const regionUtcOffsetHours: Record<string, number> = { 'us-east-1': -5, 'eu-west-1': 0 };

/** 0.2 at 04:00 local, 1.0 at 16:00 local, a cosine in between. */
export function diurnalFactor(localHour: number): number {
  return 0.2 + 0.8 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (localHour - 4)) / 24));
}

export function localTime(region: string, tMs: number): { hour: number; weekday: number } {
  const shifted = new Date(tMs + (regionUtcOffsetHours[region] ?? 0) * 3_600_000);
  return { hour: shifted.getUTCHours() + shifted.getUTCMinutes() / 60, weekday: shifted.getUTCDay() };
}

export interface TrafficInput {
  seed: number;
  cluster: string;
  region: string;
  workload: ServingWorkload;
  tMs: number;
  scenario: ScenarioName;
}

/** Requests per second offered to a serving workload during the minute that holds `tMs`. */
export function offeredRps(input: TrafficInput): number {
  const { seed, cluster, region, workload, tMs } = input;
  const bucket = Math.floor(tMs / modelBucketMs);
  const key = `${cluster}/${workload.namespace}/${workload.name}`;
  const { hour, weekday } = localTime(region, bucket * modelBucketMs);
  const diurnal = diurnalFactor(hour);
  const weekly = weekday === 0 || weekday === 6 ? 0.55 : 1;
  const noise = Math.max(0.5, 1 + 0.08 * hashNormal(seed, key, bucket));
  const tenMinutes = Math.floor(tMs / 600_000);
  const spike = hashUniform(seed, `${key}/spike`, tenMinutes) < 0.006 ? 2.2 : 1;
  let rps = workload.peakRps * diurnal * weekly * noise * spike;
  // Serverless traffic comes in bursts: whole idle minutes, more of them at night.
  if (workload.kind === 'KnativeService' && hashUniform(seed, `${key}/burst`, bucket) > 0.1 + 0.7 * diurnal * weekly) {
    rps = 0;
  }
  if (input.scenario === 'spike' && workload.name === 'chat-llm') rps = 4 * Math.max(rps, 0.5 * workload.peakRps);
  return rps;
}
