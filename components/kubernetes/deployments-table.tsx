import Link from 'next/link';
import type { ReactNode } from 'react';
import type { LiveDeployment, LiveReplicaSet } from '@/server/kubernetes/types';
import { usePagedRows } from '../table-pager';
import { formatAge, formatGpuRequest } from './format';
import styles from './kube.module.css';
import { workloadHref } from './links';
import { rolloutProgress } from './relations';

export function RolloutCell({
  deployment,
  replicaSets,
}: {
  deployment: LiveDeployment;
  replicaSets: LiveReplicaSet[];
}): ReactNode {
  const progress = rolloutProgress(deployment, replicaSets);
  const percent = Math.round(progress.fraction * 100);
  return (
    <span data-testid="rollout">
      <span
        className={styles.progress}
        role="progressbar"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label="New ReplicaSet ready"
      >
        <span className={styles.progressFill} style={{ width: `${percent}%` }} />
      </span>
      {progress.complete ? (
        <span className="small muted">complete</span>
      ) : (
        <span className="small">
          new {progress.newReplicaSet?.readyReplicas ?? 0}/{deployment.desiredReplicas}
          {progress.oldReplicaSets.length > 0
            ? ` · old ${progress.oldReplicaSets.reduce((sum, r) => sum + r.readyReplicas, 0)} ready in ${progress.oldReplicaSets.length} ReplicaSet${progress.oldReplicaSets.length > 1 ? 's' : ''}`
            : ''}
        </span>
      )}
    </span>
  );
}

export function DeploymentsTable({
  deployments,
  replicaSets,
  showCluster,
  nowMs,
  queryString,
}: {
  deployments: LiveDeployment[];
  replicaSets: LiveReplicaSet[];
  showCluster: boolean;
  nowMs: number;
  queryString: string;
}): ReactNode {
  const { rows, pager } = usePagedRows(deployments, 'Deployments');
  return (
    <div className={styles.tableWrap}>
      <table className="table" data-testid="deployments-table">
        <caption className={styles.srOnly}>Deployments</caption>
        <thead>
          <tr>
            {showCluster ? <th scope="col">Cluster</th> : null}
            <th scope="col">Namespace</th>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Desired
            </th>
            <th scope="col" className="num">
              Ready
            </th>
            <th scope="col" className="num">
              Available
            </th>
            <th scope="col" className="num">
              Up to date
            </th>
            <th scope="col">Rollout</th>
            <th scope="col">Image</th>
            <th scope="col" className="num">
              GPUs / pod
            </th>
            <th scope="col" className="num">
              Age
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr
              key={`${d.cluster}/${d.namespace}/${d.name}`}
              data-testid="deployment-row"
              data-name={d.name}
              data-cluster={d.cluster}
            >
              {showCluster ? <td>{d.cluster}</td> : null}
              <td>{d.namespace}</td>
              <th scope="row">
                <Link
                  href={workloadHref(
                    { cluster: d.cluster, namespace: d.namespace, kind: 'Deployment', name: d.name },
                    queryString,
                  )}
                >
                  {d.name}
                </Link>
              </th>
              <td className="num" data-testid="desired">
                {d.desiredReplicas}
              </td>
              <td className="num" data-testid="ready">
                {d.readyReplicas}
              </td>
              <td className="num">{d.availableReplicas}</td>
              <td className="num">{d.updatedReplicas}</td>
              <td>
                <RolloutCell deployment={d} replicaSets={replicaSets} />
              </td>
              <td className={styles.mono}>{d.images.join(', ')}</td>
              <td className="num">{formatGpuRequest(d.gpuRequest)}</td>
              <td className="num">{formatAge(d.createdAt, nowMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pager}
    </div>
  );
}
