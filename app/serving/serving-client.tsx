'use client';

import Link from 'next/link';
import { useMemo, type ReactNode } from 'react';
import { ClusterConnections } from '@/components/kubernetes/cluster-connections';
import { DeploymentsTable } from '@/components/kubernetes/deployments-table';
import { KnativeTable } from '@/components/kubernetes/knative-table';
import styles from '@/components/kubernetes/kube.module.css';
import { workloadHref } from '@/components/kubernetes/links';
import { LiveNotice } from '@/components/kubernetes/live-notice';
import { NoClusters } from '@/components/kubernetes/no-clusters';
import { PodsTable } from '@/components/kubernetes/pods-table';
import { indexOwners, workloadOfPod } from '@/components/kubernetes/relations';
import { useNowMs } from '@/components/kubernetes/use-now';
import { EmptyState } from '@/components/states';
import { useLiveWorkloads } from '@/lib/kube-cache';
import { ALL_CLUSTERS, useDashboardParams } from '@/lib/url-state';
import type { LiveKind } from '@/server/kubernetes/types';

const kinds: LiveKind[] = ['Deployment', 'ReplicaSet', 'Pod', 'KnativeService', 'KnativeRevision'];

function byName<T extends { cluster: string; namespace: string; name: string }>(a: T, b: T): number {
  return a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

export function ServingClient(): ReactNode {
  const { cluster, queryString } = useDashboardParams();
  const live = useLiveWorkloads({ cluster, kinds });
  const nowMs = useNowMs();
  const showCluster = cluster === ALL_CLUSTERS;

  const view = useMemo(() => {
    const { cache } = live;
    const deployments = cache.ofKind('Deployment');
    const replicaSets = cache.ofKind('ReplicaSet');
    const revisions = cache.ofKind('KnativeRevision');
    const owners = indexOwners(replicaSets, deployments, revisions);
    const servingPods = cache
      .ofKind('Pod')
      .map((pod) => ({ pod, workload: workloadOfPod(pod, owners) }))
      .filter((p) => p.workload?.kind === 'Deployment' || p.workload?.kind === 'KnativeService');
    return {
      // Deployments that back a Knative Revision belong to their Service, shown below.
      deployments: deployments.filter((d) => d.owner?.kind !== 'Revision').sort(byName),
      replicaSets,
      revisions,
      services: cache.ofKind('KnativeService').sort(byName),
      pods: servingPods.sort((a, b) => byName(a.pod, b.pod)),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` moves when the cache changes
  }, [live.cache, live.version]);
  const workloadByPod = new Map(view.pods.map((p) => [p.pod, p.workload]));

  if (live.clusters.length === 0 && live.cache.clustersKnown) return <NoClusters />;
  return (
    <>
      <ClusterConnections clusters={live.clusters} />
      <LiveNotice live={live} what="serving state" />
      {live.loaded ? (
        <>
          <section className={styles.section} aria-labelledby="deployments-heading">
            <h2 id="deployments-heading">Deployments</h2>
            {view.deployments.length === 0 ? (
              <EmptyState title="No Deployments" />
            ) : (
              <DeploymentsTable
                deployments={view.deployments}
                replicaSets={view.replicaSets}
                showCluster={showCluster}
                nowMs={nowMs}
                queryString={queryString}
              />
            )}
          </section>
          <section className={styles.section} aria-labelledby="knative-heading">
            <h2 id="knative-heading">Knative Services</h2>
            {view.services.length === 0 ? (
              <EmptyState title="No Knative Services" />
            ) : (
              <KnativeTable
                services={view.services}
                revisions={view.revisions}
                showCluster={showCluster}
                nowMs={nowMs}
                queryString={queryString}
              />
            )}
          </section>
          <section className={styles.section} aria-labelledby="pods-heading">
            <h2 id="pods-heading">Serving pods</h2>
            {view.pods.length === 0 ? (
              <EmptyState title="No serving pods" />
            ) : (
              <PodsTable
                pods={view.pods.map((p) => p.pod)}
                showCluster={showCluster}
                nowMs={nowMs}
                label="Pods of Deployments and Knative Services"
                workloadOf={(pod) => {
                  const w = workloadByPod.get(pod);
                  return w ? <Link href={workloadHref(w, queryString)}>{w.name}</Link> : null;
                }}
              />
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
