import type { ReactNode } from 'react';
import type { ClusterConnection } from '@/server/kubernetes/types';
import { formatUtc } from './format';
import styles from './kube.module.css';

const labels = {
  connected: 'connected',
  connecting: 'connecting…',
  reconnecting: 'reconnecting',
  forbidden: 'no permission',
  error: 'error',
} as const;
const tones = { connected: 'ok', connecting: '', reconnecting: 'warn', forbidden: 'bad', error: 'bad' } as const;

/** Each cluster with its own connection state: an unreachable cluster shows its error here, the rest keep working. */
export function ClusterConnections({ clusters }: { clusters: ClusterConnection[] }): ReactNode {
  if (clusters.length === 0) return null;
  return (
    <ul className={styles.clusters} aria-label="Cluster connections">
      {clusters.map(({ cluster, connection, denied }) => (
        <li key={cluster} data-testid="cluster-connection" data-cluster={cluster} data-state={connection.state}>
          <strong>{cluster}</strong>
          <span className={`badge ${tones[connection.state]}`}>{labels[connection.state]}</span>
          {connection.state === 'reconnecting' || connection.state === 'error' ? (
            <span className="small muted" role="status">
              since {formatUtc(new Date(connection.sinceMs).toISOString())}: {connection.error}
            </span>
          ) : null}
          {denied.map((d) => (
            <span key={d.kind} className="small" role="status" data-testid="kind-denied" data-kind={d.kind}>
              no permission to watch {d.kind} ({d.statusCode === 401 ? 'credentials refused' : 'RBAC'}; reload after
              fixing it): {d.error}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}
