import { describe, expect, it } from 'vitest';
import {
  PromQlBuildError,
  alignRange,
  avgOverTime,
  binary,
  clampMin,
  duration,
  eq,
  escapeLabelValue,
  escapeRegex,
  histogramQuantile,
  labelReplace,
  neq,
  nre,
  num,
  oneOf,
  rate,
  rateWindow,
  re,
  selector,
  stepFor,
  sum,
  topk,
} from './query-builder';

describe('selector and escaping', () => {
  it('escapes backslash, double quote and newline in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(selector('kube_pod_info', [eq('pod', 'x"y'), neq('namespace', 'a\\b')])).toBe(
      'kube_pod_info{pod="x\\"y",namespace!="a\\\\b"}',
    );
  });

  it('escapes regex metacharacters only when the caller asks for a literal', () => {
    expect(escapeRegex('gpu.a100 (80GB)|x*')).toBe('gpu\\.a100 \\(80GB\\)\\|x\\*');
    expect(selector('up', [re('job', 'node.*')])).toBe('up{job=~"node.*"}');
    // Literal "a.b" → regex a\.b → inside a PromQL string the backslash doubles: a\\.b
    expect(selector('up', [re('job', 'a.b', { literal: true })])).toBe('up{job=~"a\\\\.b"}');
    expect(selector('up', [nre('job', 'a+', { literal: true })])).toBe('up{job!~"a\\\\+"}');
    expect(selector('up', [oneOf('namespace', ['team-a', 'a|b'])])).toBe('up{namespace=~"team-a|a\\\\|b"}');
  });

  it('accepts metric names of the Prometheus grammar, including colons, and rejects the rest', () => {
    expect(selector('vllm:request_success_total')).toBe('vllm:request_success_total');
    expect(selector(null, [eq('__name__', 'x')])).toBe('{__name__="x"}');
    expect(() => selector('up} or vector(1) #')).toThrow(PromQlBuildError);
    expect(() => selector('9lives')).toThrow(PromQlBuildError);
    expect(() => selector('up', [eq('bad-label', 'x')])).toThrow(PromQlBuildError);
    expect(() => selector('up', [eq('le:x', 'x')])).toThrow(PromQlBuildError);
    expect(() => selector(null)).toThrow(PromQlBuildError);
    expect(() => oneOf('pod', [])).toThrow(PromQlBuildError);
  });
});

describe('functions', () => {
  it('builds rate over a selector and a subquery over an expression', () => {
    const requests = selector('http_requests_total', [eq('code', '200')]);
    expect(rate(requests, 120)).toBe('rate(http_requests_total{code="200"}[120s])');
    expect(avgOverTime(sum(requests), 300)).toBe('avg_over_time((sum (http_requests_total{code="200"}))[300s:])');
    const weird = selector('x', [eq('pod', 'a"} or vector(1) {"'), re('ns', 'a,b')]);
    expect(rate(weird, 60)).toBe('rate(x{pod="a\\"} or vector(1) {\\"",ns=~"a,b"}[60s])');
    const either = binary(selector('a', [eq('x', '1')]), 'or', selector('b', [eq('y', '2')]));
    expect(rate(either, 60)).toBe('rate(((a{x="1"}) or (b{y="2"}))[60s:])');
  });

  it('builds aggregations, topk and histogram_quantile', () => {
    const buckets = rate(selector('vllm:e2e_request_latency_seconds_bucket'), 60);
    expect(histogramQuantile(0.95, sum(buckets, { by: ['le', 'model_name'] }))).toBe(
      'histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:e2e_request_latency_seconds_bucket[60s])))',
    );
    expect(topk(5, sum(selector('x'), { without: ['pod'] }))).toBe('topk (5, sum without (pod) (x))');
    expect(() => topk(0, selector('x'))).toThrow(PromQlBuildError);
    expect(() => histogramQuantile(95, selector('x'))).toThrow(PromQlBuildError);
    expect(() => sum(selector('x'), { by: ['a'], without: ['b'] })).toThrow(PromQlBuildError);
  });

  it('builds binary operations with vector matching, clamps and label_replace', () => {
    expect(binary(selector('a'), '/', selector('b'), { on: ['pod'], groupLeft: ['node'] })).toBe(
      '(a) / on(pod) group_left(node) (b)',
    );
    expect(binary(selector('a'), '>', num(0.5), { bool: true })).toBe('(a) > bool (0.5)');
    expect(clampMin(selector('a'), 0)).toBe('clamp_min(a, 0)');
    expect(num(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(labelReplace(selector('a'), 'namespace', '$1', 'exported_namespace', '(.*)')).toBe(
      'label_replace(a, "namespace", "$1", "exported_namespace", "(.*)")',
    );
  });

  it('formats durations in seconds or milliseconds', () => {
    expect(duration(300)).toBe('300s');
    expect(duration(1.5)).toBe('1500ms');
    expect(() => duration(0)).toThrow(PromQlBuildError);
  });
});

describe('step and rate window arithmetic', () => {
  it('rateWindow = max(4 × scrape, step + scrape)', () => {
    // scrape 15 s, step 15 s: max(60, 30) = 60
    expect(rateWindow(15, 15)).toBe(60);
    // scrape 15 s, step 60 s: max(60, 75) = 75
    expect(rateWindow(15, 60)).toBe(75);
    // scrape 30 s, step 2592 s (30 days / 1000): max(120, 2622) = 2622
    expect(rateWindow(30, 2592)).toBe(2622);
  });

  it('stepFor = ceil(max(range ÷ points, scrape))', () => {
    // 15 min = 900 s over 1000 points = 0.9 s < scrape 15 s → 15
    expect(stepFor(900, 1000, 15)).toBe(15);
    // 30 d = 2,592,000 s over 1000 points = 2592 s
    expect(stepFor(30 * 86_400, 1000, 15)).toBe(2592);
    // 7 d = 604,800 s over 700 points = 864 s
    expect(stepFor(7 * 86_400, 700, 30)).toBe(864);
    // 1 h = 3600 s over 7 points = 514.28… → 515
    expect(stepFor(3600, 7, 15)).toBe(515);
    // fractional scrape 0.5 s over 100 s and 1000 points: max(0.1, 0.5) = 0.5 → 1
    expect(stepFor(100, 1000, 0.5)).toBe(1);
    expect(() => stepFor(0, 1000, 15)).toThrow(RangeError);
  });

  it('alignRange floors start and end to multiples of the step', () => {
    // step 60: 1000 → 960, 1999 → 1980
    expect(alignRange(1000, 1999, 60)).toEqual({ startSeconds: 960, endSeconds: 1980 });
    // already aligned stays put
    expect(alignRange(1200, 1800, 60)).toEqual({ startSeconds: 1200, endSeconds: 1800 });
    // two requests 20 s apart within the same step give the same range (a cache hit)
    expect(alignRange(100_005, 190_005, 2592)).toEqual(alignRange(100_025, 190_025, 2592));
    // range shorter than a step collapses to one point, never end < start
    expect(alignRange(61, 62, 60)).toEqual({ startSeconds: 60, endSeconds: 60 });
    expect(() => alignRange(10, 5, 60)).toThrow(RangeError);
  });
});
