import type { ClusterActivity } from '../activity.ts';
import type { SimPod } from '../cluster-state.ts';
import { labelText, type SampleSink } from '../samples.ts';

const cpuWattsPerCore = 6;
const dramWattsPerGiB = 0.375;

const families = {
  cpu: 'container_cpu_usage_seconds_total',
  memory: 'container_memory_working_set_bytes',
  package: 'kepler_container_package_joules_total',
  dram: 'kepler_container_dram_joules_total',
  gpu: 'kepler_container_gpu_joules_total',
  total: 'kepler_container_joules_total',
} as const;

interface PodTexts {
  cadvisor: string;
  kepler: string;
  keys: Record<keyof typeof families, string>;
}

/** Label texts and series keys of a pod's container series, rendered once per pod object. */
const texts = new WeakMap<SimPod, PodTexts>();

function textsOf(pod: SimPod): PodTexts {
  let t = texts.get(pod);
  if (!t) {
    const cadvisor = labelText({
      namespace: pod.namespace,
      pod: pod.name,
      container: pod.containerName,
      node: pod.nodeName ?? '',
    });
    const kepler = labelText({
      container_namespace: pod.namespace,
      pod_name: pod.name,
      container_name: pod.containerName,
      mode: 'dynamic',
    });
    const key = (family: keyof typeof families): string =>
      `${families[family]}{${family === 'cpu' || family === 'memory' ? cadvisor : kepler}}`;
    t = {
      cadvisor,
      kepler,
      keys: {
        cpu: key('cpu'),
        memory: key('memory'),
        package: key('package'),
        dram: key('dram'),
        gpu: key('gpu'),
        total: key('total'),
      },
    };
    texts.set(pod, t);
  }
  return t;
}

/** cAdvisor (via the kubelet) and Kepler 0.7, per running container. */
export function containerSamples(activity: ClusterActivity, podGpuWatts: Map<string, number>, sink: SampleSink): void {
  for (const a of activity.pods) {
    const t = textsOf(a.pod);
    sink.counterText('cadvisor', families.cpu, t.cadvisor, a.cpuCores, t.keys.cpu);
    sink.gaugeText('cadvisor', families.memory, t.cadvisor, a.memoryBytes);
    const packageWatts = a.cpuCores * cpuWattsPerCore;
    const dramWatts = (a.memoryBytes / 1024 ** 3) * dramWattsPerGiB;
    const gpuWatts = podGpuWatts.get(a.pod.uid) ?? 0;
    sink.counterText('kepler', families.package, t.kepler, packageWatts, t.keys.package);
    sink.counterText('kepler', families.dram, t.kepler, dramWatts, t.keys.dram);
    sink.counterText('kepler', families.gpu, t.kepler, gpuWatts, t.keys.gpu);
    sink.counterText('kepler', families.total, t.kepler, packageWatts + dramWatts + gpuWatts, t.keys.total);
  }
}
