// Manual runner: both simulated clusters on their demo ports and a kubeconfig in /tmp.
// node --import tsx demo/kube/main.ts   then   KUBECONFIG=/tmp/burnrate-demo-kubeconfig kubectl get pods -A
import { clusters, demoPorts } from '../topology.ts';
import { startKubeCluster, writeKubeconfig } from './index.ts';

const kubeconfigPath = process.env.KUBECONFIG_OUT ?? '/tmp/burnrate-demo-kubeconfig';
const started = await Promise.all(
  clusters.map((spec, i) => startKubeCluster(spec, { port: demoPorts.kubeApi[spec.name], seed: 42 + i })),
);
await writeKubeconfig(kubeconfigPath, started);
for (const c of started) console.log(`${c.name}: ${c.url}`);
console.log(`kubeconfig: ${kubeconfigPath}`);

const shutdown = async (): Promise<void> => {
  await Promise.all(started.map((c) => c.stop()));
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
