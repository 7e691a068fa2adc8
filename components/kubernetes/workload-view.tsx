'use client';

import { useMemo, type ReactNode } from 'react';
import { EmptyState, NotAvailableYet } from '@/components/states';
import { useLiveWorkloads } from '@/lib/kube-cache';
import type { LiveKind, LiveReplicaSet, WorkloadIdentity } from '@/server/kubernetes/types';
import { ClusterConnections } from './cluster-connections';
import { RolloutCell } from './deployments-table';
import { EventsList } from './events-list';
import { formatAge, formatGpuRequest, formatUtc } from './format';
import { KnativeTable } from './knative-table';
import styles from './kube.module.css';
import { LiveNotice } from './live-notice';
import { PodsTable } from './pods-table';
import { eventsAbout, indexOwners, sameWorkload, workloadOfPod } from './relations';
import { useNowMs } from './use-now';

const kinds: LiveKind[] = ['Deployment', 'ReplicaSet', 'Pod', 'Event', 'KnativeService', 'KnativeRevision'];

function RolloutsTable({ replicaSets, nowMs }: { replicaSets: LiveReplicaSet[]; nowMs: number }): ReactNode {
  if (replicaSets.length === 0) return <p className="muted">No ReplicaSets.</p>;
  return (
    <table className="table" data-testid="rollouts-table">
      <caption className={styles.srOnly}>ReplicaSets, newest revision first</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            Revision
          </th>
          <th scope="col">ReplicaSet</th>
          <th scope="col">Image</th>
          <th scope="col" className="num">
            Desired
          </th>
          <th scope="col" className="num">
            Ready
          </th>
          <th scope="col">Created</th>
          <th scope="col" className="num">
            Age
          </th>
        </tr>
      </thead>
      <tbody>
        {replicaSets.map((rs) => (
          <tr key={rs.name}>
            <td className="num">{rs.revision ?? '—'}</td>
            <th scope="row" className={styles.mono}>
              {rs.name}
            </th>
            <td className={styles.mono}>{rs.images.join(', ')}</td>
            <td className="num">{rs.desiredReplicas}</td>
            <td className="num">{rs.readyReplicas}</td>
            <td className="small">{formatUtc(rs.createdAt)}</td>
            <td className="num">{formatAge(rs.createdAt, nowMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * One workload's live Kubernetes state: the hub other views link to. `actions` is the slot for
 * the actions toolbar (issue 7: scale, restart, roll back); `metrics` the slot for its panels.
 */
export function WorkloadView({
  identity,
  actions,
  metrics,
}: {
  identity: WorkloadIdentity;
  actions?: ReactNode;
  metrics?: ReactNode;
}): ReactNode {
  const live = useLiveWorkloads({ cluster: identity.cluster, namespace: identity.namespace, kinds });
  const nowMs = useNowMs();
  const view = useMemo(() => {
    const { cache } = live;
    const deployments = cache.ofKind('Deployment');
    const replicaSets = cache.ofKind('ReplicaSet');
    const revisions = cache.ofKind('KnativeRevision');
    const owners = indexOwners(replicaSets, deployments, revisions);
    const pods = cache
      .ofKind('Pod')
      .filter((p) => sameWorkload(workloadOfPod(p, owners), identity))
      .sort((a, b) => a.name.localeCompare(b.name));
    const deployment = identity.kind === 'Deployment' ? deployments.find((d) => d.name === identity.name) : undefined;
    const service =
      identity.kind === 'KnativeService'
        ? cache.ofKind('KnativeService').find((s) => s.name === identity.name)
        : undefined;
    const serviceRevisions = revisions.filter((r) => r.serviceName === identity.name);
    const backing = deployments.filter(
      (d) => d.owner?.kind === 'Revision' && serviceRevisions.some((r) => r.name === d.owner?.name),
    );
    const rsOwners = new Set(deployment ? [deployment.name] : backing.map((d) => d.name));
    const ownReplicaSets = replicaSets
      .filter((r) => r.owner?.kind === 'Deployment' && rsOwners.has(r.owner.name))
      .sort(
        (a, b) =>
          Number(b.revision ?? 0) - Number(a.revision ?? 0) || (b.createdAt ?? '').localeCompare(a.createdAt ?? ''),
      );
    const involved = [
      { kind: identity.kind === 'KnativeService' ? 'Service' : 'Deployment', name: identity.name },
      ...ownReplicaSets.map((r) => ({ kind: 'ReplicaSet', name: r.name })),
      ...serviceRevisions.map((r) => ({ kind: 'Revision', name: r.name })),
      ...backing.map((d) => ({ kind: 'Deployment', name: d.name })),
      ...pods.map((p) => ({ kind: 'Pod', name: p.name })),
    ];
    return {
      deployment,
      service,
      serviceRevisions,
      ownReplicaSets,
      pods,
      events: eventsAbout(cache.ofKind('Event'), involved),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` moves when the cache changes
  }, [live.cache, live.version, identity.cluster, identity.namespace, identity.kind, identity.name]);

  const found = view.deployment ?? view.service;
  return (
    <>
      <ClusterConnections clusters={live.clusters} />
      <div className={styles.slot} data-slot="workload-actions">
        {actions ?? <span className="small muted">Actions (scale, restart, roll back) appear here for operators.</span>}
      </div>
      <LiveNotice live={live} what="workload state" />
      {live.loaded && !found ? (
        <EmptyState title="Workload not found">
          No {identity.kind} {identity.namespace}/{identity.name} in {identity.cluster} right now.
        </EmptyState>
      ) : null}
      {view.deployment ? (
        <section className={styles.section} aria-labelledby="state-heading">
          <h2 id="state-heading">Live state</h2>
          <dl className={styles.facts} data-testid="workload-state">
            <div>
              <dt>Desired</dt>
              <dd data-testid="desired">{view.deployment.desiredReplicas}</dd>
            </div>
            <div>
              <dt>Ready</dt>
              <dd data-testid="ready">{view.deployment.readyReplicas}</dd>
            </div>
            <div>
              <dt>Available</dt>
              <dd>{view.deployment.availableReplicas}</dd>
            </div>
            <div>
              <dt>Up to date</dt>
              <dd>{view.deployment.updatedReplicas}</dd>
            </div>
            <div>
              <dt>Rollout</dt>
              <dd>
                <RolloutCell deployment={view.deployment} replicaSets={view.ownReplicaSets} />
              </dd>
            </div>
            <div>
              <dt>Image</dt>
              <dd className={styles.mono}>{view.deployment.images.join(', ')}</dd>
            </div>
            <div>
              <dt>GPUs per pod</dt>
              <dd>{formatGpuRequest(view.deployment.gpuRequest)}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatUtc(view.deployment.createdAt)}</dd>
            </div>
          </dl>
          {view.deployment.progressMessage ? (
            <p className="small muted">
              {view.deployment.progressReason}: {view.deployment.progressMessage}
            </p>
          ) : null}
        </section>
      ) : null}
      {view.service ? (
        <section className={styles.section} aria-labelledby="state-heading">
          <h2 id="state-heading">Live state</h2>
          <KnativeTable
            services={[view.service]}
            revisions={view.serviceRevisions}
            showCluster={false}
            nowMs={nowMs}
            queryString=""
          />
        </section>
      ) : null}
      {/* Metrics while the live state loads too: the server drew them with the page (prefetched). */}
      {found || !live.loaded ? (
        <section className={styles.section} aria-labelledby="metrics-heading">
          <h2 id="metrics-heading">Metrics</h2>
          <div data-slot="workload-metrics">
            {metrics ?? (
              <NotAvailableYet
                feature="Requests/s, p50/p95/p99 latency, errors, GPU use and queue length"
                plannedIn="the metrics router (Prometheus panels)"
              />
            )}
          </div>
        </section>
      ) : null}
      {found ? (
        <>
          <section className={styles.section} aria-labelledby="pods-heading">
            <h2 id="pods-heading">Pods</h2>
            {view.pods.length === 0 ? (
              <EmptyState title="No pods">{view.service ? 'Scaled to zero.' : 'No pods right now.'}</EmptyState>
            ) : (
              <PodsTable pods={view.pods} showCluster={false} nowMs={nowMs} />
            )}
          </section>
          <section className={styles.section} aria-labelledby="rollouts-heading">
            <h2 id="rollouts-heading">Rollouts</h2>
            <RolloutsTable replicaSets={view.ownReplicaSets} nowMs={nowMs} />
          </section>
          <section className={styles.section} aria-labelledby="events-heading">
            <h2 id="events-heading">Recent events</h2>
            <EventsList events={view.events} />
          </section>
        </>
      ) : null}
    </>
  );
}
