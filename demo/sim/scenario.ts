import { z } from 'zod';

export const scenarioNames = ['normal', 'spike', 'gpu-hot', 'pipeline-failure'] as const;
export const scenarioSchema = z.enum(scenarioNames);
export type ScenarioName = z.infer<typeof scenarioSchema>;

/** The scenario in force and when it started (history before `sinceMs` is always `normal`). */
export interface Scenario {
  name: ScenarioName;
  sinceMs: number;
}

export function scenarioAt(scenario: Scenario, tMs: number): ScenarioName {
  return tMs >= scenario.sinceMs ? scenario.name : 'normal';
}
