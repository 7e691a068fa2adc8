// What the default profile's clusters are built from: GPU model names, images, and shorthands
// for a vLLM Deployment and a pipeline step.
import { container as c } from './builders.ts';
import type { PipelineStep, ServingWorkload } from './types.ts';

export const h100 = 'NVIDIA H100 80GB HBM3';
export const a100 = 'NVIDIA A100-SXM4-40GB';
export const a10g = 'NVIDIA A10G';
export const l4 = 'NVIDIA L4';
export const reg = 'registry.burnrate.dev';
export const vllmImage = `${reg}/vllm/vllm-openai:v0.6.3`;

export function vllm(
  w: Omit<ServingWorkload, 'kind' | 'server' | 'container' | 'replicas'> & {
    gpu: ServingWorkload['container']['gpu'];
    replicas?: number;
    cpu: number;
    memGiB: number;
  },
): ServingWorkload {
  const { gpu, cpu, memGiB, ...rest } = w;
  return { kind: 'Deployment', server: 'vllm', replicas: 1, container: c(vllmImage, cpu, memGiB, gpu), ...rest };
}

export function step(
  name: string,
  durationSeconds: number,
  failureProbability: number,
  failureReason: string | undefined,
  spec: ReturnType<typeof c>,
): PipelineStep {
  return { name, durationSeconds, failureProbability, ...(failureReason ? { failureReason } : {}), container: spec };
}

export const pipelineImage = (name: string): string => `${reg}/pipelines/${name}:0.9.0`;
