import Link from 'next/link';
import type { ReactNode } from 'react';
import type { LiveWorkflow } from '@/server/kubernetes/types';
import { usePagedRows } from '../table-pager';
import { formatDurationMs, formatGpuHours, formatUtc, phaseTone, spanMs } from './format';
import styles from './kube.module.css';
import { runHref } from './links';

export function WorkflowRunsTable({
  runs,
  showCluster,
  nowMs,
  queryString,
}: {
  runs: LiveWorkflow[];
  showCluster: boolean;
  nowMs: number;
  queryString: string;
}): ReactNode {
  const { rows, pager } = usePagedRows(runs, 'runs');
  return (
    <div className={styles.tableWrap}>
      <table className="table" data-testid="runs-table">
        <caption className={styles.srOnly}>Pipeline runs, newest first</caption>
        <thead>
          <tr>
            {showCluster ? <th scope="col">Cluster</th> : null}
            <th scope="col">Pipeline</th>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Steps</th>
            <th scope="col">Started</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Started by</th>
            <th scope="col" className="num">
              GPU hours
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((run) => {
            const failed = run.steps.find((s) => s.phase === 'Failed' || s.phase === 'Error');
            return (
              <tr
                key={`${run.cluster}/${run.namespace}/${run.name}`}
                data-testid="run-row"
                data-name={run.name}
                data-phase={run.phase}
              >
                {showCluster ? <td>{run.cluster}</td> : null}
                <td>
                  {run.pipeline ?? <span className="muted">—</span>}
                  <div className="small muted">{run.namespace}</div>
                </td>
                <th scope="row">
                  <Link href={runHref(run, queryString)}>{run.name}</Link>
                </th>
                <td>
                  <span className={`badge ${phaseTone(run.phase)}`}>{run.phase}</span>
                  {failed ? (
                    <div className="small error-text">
                      {failed.name}: {failed.message ?? 'failed'}
                    </div>
                  ) : null}
                </td>
                <td className="num">{run.progress ?? '—'}</td>
                <td className="small">{formatUtc(run.startedAt)}</td>
                <td className="num">{formatDurationMs(spanMs(run.startedAt, run.finishedAt, nowMs) ?? Number.NaN)}</td>
                <td>{run.creator ?? <span className="muted">—</span>}</td>
                <td className="num">{formatGpuHours(run.gpuSeconds)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pager}
    </div>
  );
}
