'use client';

import { useMemo, type ReactNode } from 'react';
import { ClusterConnections } from '@/components/kubernetes/cluster-connections';
import { LiveNotice } from '@/components/kubernetes/live-notice';
import { NoClusters } from '@/components/kubernetes/no-clusters';
import { useNowMs } from '@/components/kubernetes/use-now';
import { WorkflowRunsTable } from '@/components/kubernetes/workflow-runs-table';
import { EmptyState } from '@/components/states';
import { useLivePipelines } from '@/lib/kube-cache';
import { ALL_CLUSTERS, useDashboardParams } from '@/lib/url-state';

export function PipelinesClient(): ReactNode {
  const { cluster, queryString } = useDashboardParams();
  const live = useLivePipelines({ cluster });
  const nowMs = useNowMs();
  const runs = useMemo(
    () => live.cache.ofKind('Workflow').sort((a, b) => (b.startedAt ?? b.createdAt ?? '').localeCompare(a.startedAt ?? a.createdAt ?? '')),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` moves when the cache changes
    [live.cache, live.version],
  );

  if (live.clusters.length === 0 && live.cache.clustersKnown) return <NoClusters />;
  return (
    <>
      <ClusterConnections clusters={live.clusters} />
      <LiveNotice live={live} what="pipeline runs" />
      {live.loaded ? (
        runs.length === 0 ? <EmptyState title="No pipeline runs">No Argo Workflows in the last day in this cluster selection.</EmptyState> : (
          <WorkflowRunsTable runs={runs} showCluster={cluster === ALL_CLUSTERS} nowMs={nowMs} queryString={queryString} />
        )
      ) : null}
    </>
  );
}
