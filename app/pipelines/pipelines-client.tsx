'use client';

import { useMemo, useState, type ReactNode } from 'react';
import { ClusterConnections } from '@/components/kubernetes/cluster-connections';
import { formatUtc } from '@/components/kubernetes/format';
import { LiveNotice } from '@/components/kubernetes/live-notice';
import { NoClusters } from '@/components/kubernetes/no-clusters';
import { pageOf, runsInRange } from '@/components/kubernetes/runs-in-range';
import { useNowMs } from '@/components/kubernetes/use-now';
import { WorkflowRunsTable } from '@/components/kubernetes/workflow-runs-table';
import { EmptyState, ErrorState } from '@/components/states';
import { useLivePipelines } from '@/lib/kube-cache';
import { resolveTimeRange, TimeRangeError, type ResolvedTimeRange } from '@/lib/time-range';
import { ALL_CLUSTERS, useDashboardParams } from '@/lib/url-state';

const pageSize = 50;

function resolved(
  range: { from: string; to: string },
  nowMs: number,
): ResolvedTimeRange | { error: string; where: string } {
  try {
    return resolveTimeRange(range, nowMs);
  } catch (caught) {
    if (caught instanceof TimeRangeError) return { error: caught.message, where: `range.${caught.field}` };
    throw caught;
  }
}

/** Argo runs that overlap the selected range, newest first, a page at a time. */
export function PipelinesClient(): ReactNode {
  const { cluster, range, queryString } = useDashboardParams();
  const live = useLivePipelines({ cluster });
  const nowMs = useNowMs();
  // The page belongs to one view: another range or cluster starts again at the newest runs.
  const view = `${range.from}|${range.to}|${cluster}`;
  const [paging, setPaging] = useState({ view, page: 0 });
  const page = paging.view === view ? paging.page : 0;
  const setPage = (next: number): void => setPaging({ view, page: next });
  const span = resolved(range, nowMs);
  const fromMs = 'error' in span ? null : span.fromMs;
  const toMs = 'error' in span ? null : span.toMs;
  // A relative range moves with the clock: recompute each second, as the durations do.
  const listed = useMemo(
    () => (fromMs === null || toMs === null ? null : runsInRange(live.cache.ofKind('Workflow'), fromMs, toMs, nowMs)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` moves when the cache changes
    [live.cache, live.version, fromMs, toMs, nowMs],
  );

  if (live.clusters.length === 0 && live.cache.clustersKnown) return <NoClusters />;
  if ('error' in span) {
    return (
      <ErrorState
        title="Invalid time range"
        message={span.error}
        where={span.where}
        action="Pick another range in the time picker at the top."
      />
    );
  }
  const shown = listed ? pageOf(listed.runs, page, pageSize) : null;
  const reachesBefore =
    listed?.oldestHeldMs !== null && listed?.oldestHeldMs !== undefined && span.fromMs < listed.oldestHeldMs;
  return (
    <>
      <ClusterConnections clusters={live.clusters} />
      <LiveNotice live={live} what="pipeline runs" />
      {live.loaded && listed && shown ? (
        <>
          <p className="small muted" data-testid="runs-summary">
            {listed.runs.length} run{listed.runs.length === 1 ? '' : 's'} in this time range
            {reachesBefore
              ? `; the cluster holds runs since ${formatUtc(new Date(listed.oldestHeldMs!).toISOString())} (older ones are deleted by Argo), so earlier runs are not listed`
              : ''}
            .
          </p>
          {listed.runs.length === 0 ? (
            <EmptyState title="No pipeline runs">
              No Argo Workflow ran in this time range in this cluster selection.
            </EmptyState>
          ) : (
            <WorkflowRunsTable
              runs={shown.items}
              showCluster={cluster === ALL_CLUSTERS}
              nowMs={nowMs}
              queryString={queryString}
            />
          )}
          {shown.pageCount > 1 ? (
            <nav className="pager" aria-label="Pages of runs" data-testid="runs-pager">
              <button
                type="button"
                className="button"
                disabled={shown.page === 0}
                onClick={() => setPage(shown.page - 1)}
              >
                Newer
              </button>
              <span className="small">
                Page {shown.page + 1} of {shown.pageCount}
              </span>
              <button
                type="button"
                className="button"
                disabled={shown.page >= shown.pageCount - 1}
                onClick={() => setPage(shown.page + 1)}
              >
                Older
              </button>
            </nav>
          ) : null}
        </>
      ) : null}
    </>
  );
}
