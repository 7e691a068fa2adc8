import 'server-only';
import { z } from 'zod';
import { kubeRegistry } from './registry';

const versionSchema = z.object({ gitVersion: z.string() });

/**
 * One health probe per cluster (`kubernetes:<cluster>`): the API server answers /version, and no
 * watch cache of that cluster is failing or refused. For server/health.ts's probe map.
 */
export function kubernetesProbes(): Record<string, () => Promise<string>> {
  const registry = kubeRegistry();
  return Object.fromEntries(
    registry.clusterNames().map((cluster) => [
      `kubernetes:${cluster}`,
      async (): Promise<string> => {
        const client = registry.client(cluster);
        if (!client || client instanceof Error) throw client ?? new Error(`cluster ${cluster} is not configured`);
        const version = versionSchema.parse(await client.getJson('/version', AbortSignal.timeout(2500)));
        const connection = registry.connection(cluster);
        if (connection.state === 'reconnecting' || connection.state === 'error')
          throw new Error(`watches ${connection.state}: ${connection.error}`);
        const denied = registry.denied(cluster);
        if (denied.length > 0)
          throw new Error(
            `no permission to watch ${denied.map((d) => `${d.kind} (${d.statusCode})`).join(', ')}: ${denied[0]!.error}`,
          );
        return `${version.gitVersion} at ${client.server}`;
      },
    ]),
  );
}
