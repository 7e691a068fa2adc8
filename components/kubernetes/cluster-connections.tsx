import type { ReactNode } from 'react';
import type { ClusterConnection } from '@/server/kubernetes/types';
import { formatUtc } from './format';
import styles from './kube.module.css';

const labels = { connected: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting', error: 'error' } as const;
const tones = { connected: 'ok', connecting: '', reconnecting: 'warn', error: 'bad' } as const;

/** Each cluster with its own connection state: an unreachable cluster shows its error here, the rest keep working. */
export function ClusterConnections({ clusters }: { clusters: ClusterConnection[] }): ReactNode {
  if (clusters.length === 0) return null;
  return (
    <ul className={styles.clusters} aria-label="Cluster connections">
      {clusters.map(({ cluster, connection }) => (
        <li key={cluster} data-testid="cluster-connection" data-cluster={cluster} data-state={connection.state}>
          <strong>{cluster}</strong>
          <span className={`badge ${tones[connection.state]}`}>{labels[connection.state]}</span>
          {connection.state === 'reconnecting' || connection.state === 'error' ? (
            <span className="small muted" role="status">
              since {formatUtc(new Date(connection.sinceMs).toISOString())}: {connection.error}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
