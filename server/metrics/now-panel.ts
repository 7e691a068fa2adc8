import 'server-only';
import { roundSignificant } from '@/lib/significant';
import { DomainError } from '@/server/errors';
import type { InstantPanelResult } from '@/server/prometheus/panel-query';
import { prometheusGraphUrl } from './graph-url';
import type { LastGood } from './last-good';
import type { PanelBuild, PlannedQuery } from './panel-plan';
import { seriesName } from './run-plan';
import {
  defaultPanelDeps,
  lastGoodAnswers,
  panelContext,
  panelDefinitions,
  resolveRequest,
  withLastGood,
  type PanelDeps,
  type ResolvedRequest,
} from './run-panel';
import type { NowPanelResponse, NowValue, PanelQueryInfo } from './types';

export interface NowPanelRequest {
  panel: string;
  cluster: string;
}

/** The window "Show query" links to: the last hour up to now. */
const graphRange = { from: 'now-1h', to: 'now' };

function nowValues(query: PlannedQuery, result: InstantPanelResult, clusterLabel: string): NowValue[] {
  return result.series.map((sample) => {
    const labels = { ...sample.labels };
    delete labels.__name__;
    return {
      queryId: query.id,
      name: seriesName(query, labels, clusterLabel),
      labels,
      value: Number.isFinite(sample.value) ? roundSignificant(sample.value, 7) : null,
    };
  });
}

async function runNowPlan(
  request: ResolvedRequest,
  panel: string,
  build: PanelBuild,
  deps: PanelDeps,
  signal: AbortSignal,
): Promise<NowPanelResponse> {
  if (build.kind === 'missing')
    return { status: 'missing', panel, needed: build.needed, description: build.description, howTo: build.howTo };
  const { settings, prometheusUrl } = request;
  const timeMs = deps.now();
  // Rate windows are those of the finest step (4 scrapes), so "now" does not average over the range.
  const results = await Promise.all(
    build.queries.map((query) =>
      deps.runner.runInstantPanel({
        prometheusUrl,
        query: query.build,
        timeMs,
        scrapeIntervalSeconds: settings.scrapeIntervalSeconds,
        maxSeries: query.maxSeries ?? 20,
        signal,
      }),
    ),
  );
  const values = build.queries.flatMap((query, i) => nowValues(query, results[i]!, settings.clusterLabel));
  if (build.emptyMeansMissing && values.length === 0) return { status: 'missing', panel, ...build.emptyMeansMissing };
  const queries: PanelQueryInfo[] = build.queries.map((query, i) => ({
    id: query.id,
    label: query.label,
    promql: results[i]!.query,
    graphUrl: prometheusGraphUrl(
      prometheusUrl,
      results[i]!.query,
      request.startMs,
      request.endMs,
      settings.scrapeIntervalSeconds,
    ),
  }));
  return {
    status: 'ok',
    panel,
    unit: build.unit,
    source: build.source,
    queries,
    timeMs: results[0]?.timeMs ?? timeMs,
    values,
    // A failing Prometheus is answered by withLastGood with the last good values, marked stale.
    stale: null,
  };
}

/** A panel's figures at now (instant queries), for the "now" tiles: independent of the page's range. */
export async function nowPanel(
  input: NowPanelRequest,
  browserSignal?: AbortSignal,
  deps: PanelDeps = defaultPanelDeps(),
  lastGood: LastGood<unknown> = lastGoodAnswers(),
): Promise<NowPanelResponse> {
  const definition = panelDefinitions.get(input.panel);
  if (!definition) throw new DomainError('BAD_INPUT', `Unknown panel "${input.panel}".`, 'panel');
  const request = resolveRequest(input.cluster, graphRange, deps);
  const key = JSON.stringify(['now', input.panel, input.cluster]);
  return withLastGood(key, input.panel, request, browserSignal, deps, lastGood, async (resolved, signal) => {
    const context = await panelContext(resolved, deps, signal);
    return runNowPlan(resolved, input.panel, definition.build(context), deps, signal);
  });
}
