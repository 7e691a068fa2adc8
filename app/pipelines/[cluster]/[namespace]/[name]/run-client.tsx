'use client';

import Link from 'next/link';
import { useMemo, type ReactNode } from 'react';
import { ClusterConnections } from '@/components/kubernetes/cluster-connections';
import { EventsList } from '@/components/kubernetes/events-list';
import { formatDurationMs, formatGpuHours, formatUtc, phaseTone, spanMs } from '@/components/kubernetes/format';
import styles from '@/components/kubernetes/kube.module.css';
import { LiveNotice } from '@/components/kubernetes/live-notice';
import { eventsAbout } from '@/components/kubernetes/relations';
import { useNowMs } from '@/components/kubernetes/use-now';
import { WorkflowDag } from '@/components/kubernetes/workflow-dag';
import { EmptyState } from '@/components/states';
import { useLivePipelines } from '@/lib/kube-cache';
import { useDashboardParams } from '@/lib/url-state';

export function RunClient({
  cluster,
  namespace,
  name,
}: {
  cluster: string;
  namespace: string;
  name: string;
}): ReactNode {
  const { queryString } = useDashboardParams();
  const live = useLivePipelines({ cluster, namespace });
  const nowMs = useNowMs();
  const { run, events } = useMemo(
    () => ({
      run: live.cache.ofKind('Workflow').find((w) => w.name === name),
      events: eventsAbout(live.cache.ofKind('Event'), [{ kind: 'Workflow', name }]),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` moves when the cache changes
    [live.cache, live.version, name],
  );

  return (
    <>
      <header className="page-header">
        <div>
          <p className="small">
            <Link href={`/pipelines${queryString}`}>Pipelines</Link> / {cluster} / {namespace}
          </p>
          <h1>{name}</h1>
          {run ? (
            <p className="muted" data-testid="run-summary">
              <span className={`badge ${phaseTone(run.phase)}`} data-testid="run-phase">
                {run.phase}
              </span>{' '}
              {run.pipeline ? `pipeline ${run.pipeline} · ` : ''}started {formatUtc(run.startedAt)}
              {run.creator ? ` by ${run.creator}` : ''} ·{' '}
              {formatDurationMs(spanMs(run.startedAt, run.finishedAt, nowMs) ?? Number.NaN)}
              {run.progress ? ` · ${run.progress} steps` : ''} · {formatGpuHours(run.gpuSeconds)} GPU h
            </p>
          ) : null}
        </div>
      </header>
      <ClusterConnections clusters={live.clusters} />
      <LiveNotice live={live} what="run" />
      {live.loaded && !run ? (
        <EmptyState title="Run not found">
          No Argo Workflow {namespace}/{name} in {cluster}: it may have been garbage-collected.{' '}
          <Link href={`/pipelines${queryString}`}>All runs</Link>
        </EmptyState>
      ) : null}
      {run ? (
        <>
          <section className={styles.section} aria-labelledby="dag-heading">
            <h2 id="dag-heading">Steps</h2>
            <WorkflowDag run={run} events={events} nowMs={nowMs} />
          </section>
          <section className={styles.section} aria-labelledby="events-heading">
            <h2 id="events-heading">Events</h2>
            <EventsList events={events} />
          </section>
        </>
      ) : null}
    </>
  );
}
