// Argo Workflows runs as planned: one run per pipeline every `everyMinutes` (aligned to the epoch),
// its steps in sequence, outcomes drawn from a PRNG keyed on (pipeline, run start, step) so a run
// fails the same way on every start. Names as Argo gives them to runs, nodes and step pods.
import type { Pipeline } from '../../topology.ts';
import { fnv32a, keyedRandom } from '../util.ts';

/** Seconds Argo needs between one step's end and the next pod's start. */
export const stepGapMs = 5_000;

export interface PlannedStep {
  name: string;
  startMs: number;
  endMs: number;
  /** Set when the step fails (the run stops there). */
  failureReason?: string;
}

export interface PlannedRun {
  name: string;
  startMs: number;
  endMs: number;
  phase: 'Succeeded' | 'Failed';
  steps: PlannedStep[];
}

export function workflowRunName(pipeline: Pipeline, startMs: number): string {
  return `${pipeline.name}-${Math.floor(startMs / 1000)}`;
}

/** A failure forced on a run from outside its plan (the `pipeline-failure` scenario). */
export interface InjectedFailure {
  step: string;
  atMs: number;
}

/**
 * The whole run as it will happen: deterministic for (seed, pipeline, start), unless a failure was
 * injected, which ends the named step at its time (if the plan had not ended the run before).
 */
export function planWorkflowRun(
  pipeline: Pipeline,
  startMs: number,
  seed: number,
  injected?: InjectedFailure,
): PlannedRun {
  const steps: PlannedStep[] = [];
  let at = startMs;
  for (const step of pipeline.steps) {
    const key = `${pipeline.name}|${startMs}|${step.name}`;
    const planned = keyedRandom(seed, key) < step.failureProbability;
    const plannedMs = step.durationSeconds * 1000 * (planned ? 0.3 + 0.6 * keyedRandom(seed, `${key}|failAt`) : 1);
    const forced = injected?.step === step.name && injected.atMs < at + plannedMs;
    const endMs = forced ? Math.max(at, injected.atMs) : Math.round(at + plannedMs);
    const fails = planned || forced;
    steps.push({
      name: step.name,
      startMs: at,
      endMs,
      ...(fails ? { failureReason: step.failureReason ?? 'Error (exit code 1)' } : {}),
    });
    at = endMs;
    if (fails) break;
    at += stepGapMs;
  }
  const last = steps[steps.length - 1];
  return {
    name: workflowRunName(pipeline, startMs),
    startMs,
    endMs: last?.endMs ?? startMs,
    phase: last?.failureReason ? 'Failed' : 'Succeeded',
    steps,
  };
}

export function nodeId(workflow: string, step: string): string {
  return `${workflow}-${fnv32a(`${workflow}.${step}`)}`;
}

/** The pod of one step of a run, as Argo names it (and the simulation's history too). */
export function workflowPodName(workflow: string, step: string): string {
  return `${workflow}-${step}-${fnv32a(`${workflow}.${step}`)}`;
}
