import type { ReactNode } from 'react';
import type { LivePod } from '@/server/kubernetes/types';
import { usePagedRows } from '../table-pager';
import { formatAge, formatGpuRequest } from './format';
import styles from './kube.module.css';

function podStatus(pod: LivePod): { text: string; tone: string } {
  if (pod.terminating) return { text: 'Terminating', tone: 'warn' };
  if (pod.phase === 'Running' && pod.ready) return { text: 'Running · ready', tone: 'ok' };
  if (pod.phase === 'Running')
    return { text: `Running · not ready${pod.reason ? ` (${pod.reason})` : ''}`, tone: 'warn' };
  if (pod.phase === 'Failed') return { text: `Failed${pod.reason ? ` (${pod.reason})` : ''}`, tone: 'bad' };
  return { text: `${pod.phase}${pod.reason ? ` (${pod.reason})` : ''}`, tone: pod.phase === 'Succeeded' ? 'ok' : '' };
}

export function PodsTable({
  pods,
  showCluster,
  nowMs,
  label = 'Pods',
  workloadOf,
}: {
  pods: LivePod[];
  showCluster: boolean;
  nowMs: number;
  label?: string;
  /** Adds a Workload column when given. */
  workloadOf?: (pod: LivePod) => ReactNode;
}): ReactNode {
  const { rows, pager } = usePagedRows(pods, 'pods');
  return (
    <div className={styles.tableWrap}>
      <table className="table" data-testid="pods-table">
        <caption className={styles.srOnly}>{label}</caption>
        <thead>
          <tr>
            {showCluster ? <th scope="col">Cluster</th> : null}
            {workloadOf ? <th scope="col">Workload</th> : null}
            <th scope="col">Pod</th>
            <th scope="col">Status</th>
            <th scope="col">Node</th>
            <th scope="col" className="num">
              Restarts
            </th>
            <th scope="col" className="num">
              GPUs
            </th>
            <th scope="col" className="num">
              Age
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((pod) => {
            const status = podStatus(pod);
            return (
              <tr
                key={`${pod.cluster}/${pod.namespace}/${pod.name}`}
                data-testid="pod-row"
                data-ready={pod.ready && !pod.terminating ? 'true' : 'false'}
                data-phase={pod.phase}
              >
                {showCluster ? <td>{pod.cluster}</td> : null}
                {workloadOf ? <td>{workloadOf(pod)}</td> : null}
                <th scope="row" className={styles.mono}>
                  {pod.name}
                </th>
                <td>
                  <span className={`badge ${status.tone}`}>{status.text}</span>
                </td>
                <td className={styles.mono}>{pod.nodeName ?? <span className="muted">unscheduled</span>}</td>
                <td className="num">{pod.restarts}</td>
                <td className="num">{formatGpuRequest(pod.gpuRequest)}</td>
                <td className="num">{formatAge(pod.startedAt ?? pod.createdAt, nowMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pager}
    </div>
  );
}
