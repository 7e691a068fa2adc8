import type { ServingWorkload } from '../topology.ts';

// Latency of a serving workload as a function of its utilisation ρ = offered ÷ (ready × rpsPerReplica).
// Median grows with ρ² (queueing), p95 = 1.6 × median (log-normal spread σ = ln 1.6 ÷ 1.645).

export const latencySpreadSigma = Math.log(1.6) / 1.645;
const maxUtilisation = 6;

export interface WorkloadLoad {
  rps: number;
  readyReplicas: number;
  /** Offered load over knee capacity; 0 when nothing is offered. */
  utilisation: number;
  p50Seconds: number;
  p95Seconds: number;
  ttftP50Seconds: number;
  /** Requests inside the server (Little's law) and the part beyond the batch it runs at once. */
  running: number;
  waiting: number;
  coldStart: boolean;
}

/** Seconds a request waits when it arrives at a scaled-to-zero service: pod start plus model load. */
export function coldStartSeconds(workload: ServingWorkload): number {
  return 0.2 + workload.startupSeconds;
}

export function workloadLoad(workload: ServingWorkload, rps: number, readyReplicas: number): WorkloadLoad {
  const coldStart = readyReplicas === 0 && rps > 0;
  const replicas = Math.max(readyReplicas, 1);
  const utilisation = Math.min(maxUtilisation, rps / (replicas * workload.rpsPerReplica));
  const queueing = 1 + 0.25 * utilisation * utilisation;
  const p50Seconds = workload.baseLatencySeconds * queueing + (coldStart ? coldStartSeconds(workload) : 0);
  const p95Seconds = p50Seconds * 1.6;
  const ttftP50Seconds = 0.12 * queueing + (coldStart ? coldStartSeconds(workload) : 0);
  const concurrency = rps * p50Seconds;
  const batchCapacity = replicas * workload.rpsPerReplica * workload.baseLatencySeconds * 2.5;
  return {
    rps,
    readyReplicas,
    utilisation,
    p50Seconds,
    p95Seconds,
    ttftP50Seconds,
    coldStart,
    running: readyReplicas === 0 ? 0 : Math.min(concurrency, batchCapacity),
    waiting: readyReplicas === 0 ? concurrency : Math.max(0, concurrency - batchCapacity),
  };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Share of requests at or below `le` seconds, for a log-normal with the given median. */
export function shareAtOrBelow(le: number, medianSeconds: number): number {
  if (le === Infinity) return 1;
  return normalCdf(Math.log(le / medianSeconds) / latencySpreadSigma);
}

/** Mean of that log-normal: median × e^(σ²/2). */
export function meanSeconds(medianSeconds: number): number {
  return medianSeconds * Math.exp((latencySpreadSigma * latencySpreadSigma) / 2);
}
