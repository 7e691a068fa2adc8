import type { ClusterActivity } from '../activity.ts';
import type { SampleSink } from '../samples.ts';

const cpuWattsPerCore = 6;
const dramWattsPerGiB = 0.375;

/** cAdvisor (via the kubelet) and Kepler 0.7, per running container. */
export function containerSamples(activity: ClusterActivity, podGpuWatts: Map<string, number>, sink: SampleSink): void {
  for (const a of activity.pods) {
    const pod = a.pod;
    const labels = { namespace: pod.namespace, pod: pod.name, container: pod.containerName, node: pod.nodeName ?? '' };
    sink.counter('cadvisor', 'container_cpu_usage_seconds_total', labels, a.cpuCores);
    sink.gauge('cadvisor', 'container_memory_working_set_bytes', labels, a.memoryBytes);
    const kepler = { container_namespace: pod.namespace, pod_name: pod.name, container_name: pod.containerName, mode: 'dynamic' };
    const packageWatts = a.cpuCores * cpuWattsPerCore;
    const dramWatts = (a.memoryBytes / 1024 ** 3) * dramWattsPerGiB;
    const gpuWatts = podGpuWatts.get(pod.uid) ?? 0;
    sink.counter('kepler', 'kepler_container_package_joules_total', kepler, packageWatts);
    sink.counter('kepler', 'kepler_container_dram_joules_total', kepler, dramWatts);
    sink.counter('kepler', 'kepler_container_gpu_joules_total', kepler, gpuWatts);
    sink.counter('kepler', 'kepler_container_joules_total', kepler, packageWatts + dramWatts + gpuWatts);
  }
}
