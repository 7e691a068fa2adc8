import 'server-only';
import type { TimeRangeInput } from '@/lib/time-range';
import type { SessionUser } from '@/server/auth/session';
import { getDatabase } from '@/server/db/client';
import { insertAuditEntry, type AuditEntryInput } from '@/server/db/audit';
import { DomainError } from '@/server/errors';
import { adminExploreQuery, PromQlBuildError } from '@/server/prometheus/query-builder';
import { ALL_CLUSTERS } from './config';
import type { PanelBuild } from './panel-plan';
import {
  defaultPanelDeps,
  describeError,
  panelSignal,
  prometheusErrorKind,
  resolveRequest,
  type PanelDeps,
} from './run-panel';
import { runPlan } from './run-plan';
import type { RangePanelResponse } from './types';

export interface ExploreRequest {
  query: string;
  range: TimeRangeInput;
  pointsWanted: number;
}

const exploreMaxSeries = 20;

export interface ExploreDeps {
  panel: PanelDeps;
  audit: (entry: AuditEntryInput) => Promise<unknown>;
}

function defaultExploreDeps(): ExploreDeps {
  return { panel: defaultPanelDeps(), audit: async (entry) => insertAuditEntry((await getDatabase()).db, entry) };
}

/** `{job="x", instance="y"}` for a series name; the metric name first when the result keeps it. */
function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length === 0 ? '{}' : `{${pairs.join(', ')}}`;
}

/**
 * An admin's ad-hoc PromQL over the page's range, through the same step, downsampling, series cap,
 * coalescing and breaker as every panel. Each run is written to the audit log (who asked what),
 * and a query Prometheus rejects comes back as BAD_INPUT with Prometheus's own message.
 */
export async function explorePromQl(
  input: ExploreRequest,
  caller: { user: SessionUser; requestId: string },
  browserSignal?: AbortSignal,
  { panel: deps, audit }: ExploreDeps = defaultExploreDeps(),
): Promise<RangePanelResponse> {
  let query;
  try {
    query = adminExploreQuery(input.query);
  } catch (error) {
    if (error instanceof PromQlBuildError) throw new DomainError('BAD_INPUT', `Query: ${error.message}.`, 'query');
    throw error;
  }
  const request = resolveRequest(ALL_CLUSTERS, input.range, deps);
  if ('error' in request) throw new DomainError('UPSTREAM_UNAVAILABLE', request.error, 'prometheus');
  const build: PanelBuild = {
    kind: 'plan',
    unit: 'count',
    source: { metrics: ['ad-hoc PromQL'], description: 'Ad-hoc PromQL from the explore box (admin); units unknown' },
    queries: [{ id: 'explore', label: 'Result', build: () => query, maxSeries: exploreMaxSeries, name: labelText }],
  };
  const startedMs = Date.now();
  let outcome: { result: 'succeeded' | 'failed'; message: string };
  try {
    const response = await runPlan(
      request,
      'explore',
      build,
      input.pointsWanted,
      deps,
      panelSignal(browserSignal, request.settings),
    );
    const shown = response.status === 'ok' ? response.series.length : 0;
    outcome = {
      result: 'succeeded',
      message: `${shown} series${response.status === 'ok' && response.omittedSeriesCount > 0 ? ` (+${response.omittedSeriesCount} not shown)` : ''}`,
    };
    return response;
  } catch (error) {
    outcome = { result: 'failed', message: describeError(error) };
    const kind = prometheusErrorKind(error);
    if (kind === 'bad-query') throw new DomainError('BAD_INPUT', describeError(error), 'query', { cause: error });
    if (kind !== null || (error instanceof DOMException && error.name === 'TimeoutError')) {
      throw new DomainError('UPSTREAM_UNAVAILABLE', describeError(error), 'prometheus', { cause: error });
    }
    throw error;
  } finally {
    await audit({
      requestId: caller.requestId,
      actor: caller.user.name,
      role: caller.user.role,
      verb: 'explore-promql',
      parameters: { query: query, from: input.range.from, to: input.range.to },
      result: outcome!.result,
      durationMs: Date.now() - startedMs,
      message: outcome!.message,
    });
  }
}
