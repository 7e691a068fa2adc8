// Where a workload's request, error and latency figures come from: the pods its controller names,
// the server families (vLLM, OpenTelemetry HTTP, legacy http_requests_total) that publish them,
// and the PromQL that sums them over the workload.
import 'server-only';
import { httpMetrics, type FamilyDiscovery } from '@/server/prometheus/discovery';
import {
  binary,
  eq,
  escapeRegex,
  histogramQuantile,
  num,
  rate,
  re,
  selector,
  sum,
  type LabelMatcher,
  type PromQl,
} from '@/server/prometheus/query-builder';
import type { PanelBuild, PanelContext, PanelPlan } from './panel-plan';

export interface WorkloadTarget {
  namespace: string;
  kind: 'Deployment' | 'KnativeService';
  name: string;
}

/**
 * The pod names a workload's controller generates (Prometheus anchors the pattern): a Deployment's
 * `<name>-<replicaset hash>-<suffix>`; a Knative Service's `<name>-<00001>-deployment-<hash>-<suffix>`.
 * Exact, so `chat-llm` does not take the pods of `chat-llm-serverless`.
 */
export function workloadPodPattern(target: WorkloadTarget): string {
  const name = escapeRegex(target.name);
  const owner = target.kind === 'KnativeService' ? `${name}-[0-9]{5}-deployment` : name;
  return `${owner}-[a-z0-9]{1,10}-[a-z0-9]{5}`;
}

export function podMatchers(family: FamilyDiscovery, ctx: PanelContext, target: WorkloadTarget): LabelMatcher[] {
  return [
    ...ctx.scope.matchers,
    eq(family.labels.namespace ?? 'namespace', target.namespace),
    re(family.labels.pod ?? 'pod', workloadPodPattern(target)),
  ];
}

/** One server family's series for a figure: the metric and any extra matcher (errors only). */
interface FigureSource {
  metric: string;
  family: FamilyDiscovery;
  extra?: LabelMatcher[];
}

/** First non-empty wins: a pod is either a vLLM server or an HTTP server, so at most one side has data. */
export function firstOf(parts: PromQl[]): PromQl {
  return parts.reduce((left, right) => binary(left, 'or', right));
}

function present(sources: FigureSource[]): FigureSource[] {
  return sources.filter((s) => s.family.metrics.includes(s.metric));
}

export function requestSources(ctx: PanelContext): FigureSource[] {
  const { vllm, http } = ctx.discovery;
  return present([
    { metric: 'vllm:request_success_total', family: vllm },
    { metric: httpMetrics.otelDurationCount, family: http },
    ...(http.otel ? [] : [{ metric: httpMetrics.legacyRequests, family: http }]),
  ]);
}

export function errorSources(ctx: PanelContext): FigureSource[] {
  const { vllm, http } = ctx.discovery;
  return present([
    { metric: 'vllm:request_success_total', family: vllm, extra: [eq('finished_reason', 'abort')] },
    { metric: httpMetrics.otelDurationCount, family: http, extra: [re('http_response_status_code', '5..')] },
    ...(http.otel ? [] : [{ metric: httpMetrics.legacyRequests, family: http, extra: [re('code', '5..')] }]),
  ]);
}

export function latencySources(ctx: PanelContext): FigureSource[] {
  const { vllm, http } = ctx.discovery;
  return present([
    { metric: 'vllm:e2e_request_latency_seconds_bucket', family: vllm },
    { metric: httpMetrics.otelDurationBucket, family: http },
  ]);
}

const serverHowTo =
  'Expose request metrics from the server: vLLM does by default; otherwise OpenTelemetry HTTP server metrics or http_requests_total, with namespace and pod labels.';

export function noSource(needed: string[], description: string): PanelBuild {
  return { kind: 'missing', needed, description, howTo: serverHowTo };
}

export function rateOf(sources: FigureSource[], ctx: PanelContext, target: WorkloadTarget, window: number): PromQl {
  return firstOf(
    sources.map((s) =>
      sum(rate(selector(s.metric, [...podMatchers(s.family, ctx, target), ...(s.extra ?? [])]), window)),
    ),
  );
}

export function emptyFor(what: string, needed: string[]): NonNullable<PanelPlan['emptyMeansMissing']> {
  return { needed, description: `No ${what} for the pods of this workload in this range`, howTo: serverHowTo };
}

/** A server that answered requests but failed none has 0 errors/s, not a missing series. */
export function errorRate(sources: FigureSource[], ctx: PanelContext, target: WorkloadTarget, window: number): PromQl {
  return firstOf(
    sources.map((s) => {
      const all = sum(rate(selector(s.metric, podMatchers(s.family, ctx, target)), window));
      const failed = sum(rate(selector(s.metric, [...podMatchers(s.family, ctx, target), ...(s.extra ?? [])]), window));
      return binary(failed, 'or', binary(all, '*', num(0)));
    }),
  );
}

/** histogram_quantile over the workload's buckets summed by `le`; the same expression the test asks Prometheus directly. */
export function workloadQuantile(
  q: number,
  source: { metric: string; matchers: LabelMatcher[] },
  windowSeconds: number,
): PromQl {
  return histogramQuantile(q, sum(rate(selector(source.metric, source.matchers), windowSeconds), { by: ['le'] }));
}
