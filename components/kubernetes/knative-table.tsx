import Link from 'next/link';
import type { ReactNode } from 'react';
import type { LiveKnativeRevision, LiveKnativeService } from '@/server/kubernetes/types';
import { formatAge, formatGpuRequest } from './format';
import styles from './kube.module.css';
import { workloadHref } from './links';
import { knativeScale } from './relations';

export function KnativeTable({
  services,
  revisions,
  showCluster,
  nowMs,
  queryString,
}: {
  services: LiveKnativeService[];
  revisions: LiveKnativeRevision[];
  showCluster: boolean;
  nowMs: number;
  queryString: string;
}): ReactNode {
  return (
    <div className={styles.tableWrap}>
      <table className="table" data-testid="knative-table">
        <caption className={styles.srOnly}>Knative Services</caption>
        <thead>
          <tr>
            {showCluster ? <th scope="col">Cluster</th> : null}
            <th scope="col">Namespace</th>
            <th scope="col">Name</th>
            <th scope="col">Ready</th>
            <th scope="col">Traffic</th>
            <th scope="col" className="num">
              Replicas (ready/desired)
            </th>
            <th scope="col">Scale</th>
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
          {services.map((s) => {
            const scale = knativeScale(s, revisions);
            return (
              <tr key={`${s.cluster}/${s.namespace}/${s.name}`} data-testid="knative-row" data-name={s.name}>
                {showCluster ? <td>{s.cluster}</td> : null}
                <td>{s.namespace}</td>
                <th scope="row">
                  <Link
                    href={workloadHref(
                      { cluster: s.cluster, namespace: s.namespace, kind: 'KnativeService', name: s.name },
                      queryString,
                    )}
                  >
                    {s.name}
                  </Link>
                </th>
                <td>
                  <span className={`badge ${s.ready ? 'ok' : 'warn'}`}>{s.ready ? 'Ready' : 'Not ready'}</span>
                </td>
                <td>
                  {s.traffic.length === 0 ? (
                    <span className="muted">no route yet</span>
                  ) : (
                    <ul className={styles.events} aria-label="Traffic split">
                      {s.traffic.map((t) => (
                        <li key={t.revisionName}>
                          <span className={styles.mono}>{t.revisionName}</span> {t.percent}%
                          {t.latestRevision ? <span className="muted small"> (latest)</span> : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="num">
                  {scale.actualReplicas}/{scale.desiredReplicas}
                </td>
                <td>
                  {scale.scaledToZero ? (
                    <span className="badge" data-testid="scaled-to-zero">
                      scaled to zero
                    </span>
                  ) : (
                    <span className="badge ok">active</span>
                  )}
                  <span className="small muted">
                    {' '}
                    min {s.minScale ?? 0} · max {s.maxScale ?? '∞'}
                  </span>
                </td>
                <td className={styles.mono}>{s.images.join(', ')}</td>
                <td className="num">{formatGpuRequest(s.gpuRequest)}</td>
                <td className="num">{formatAge(s.createdAt, nowMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
