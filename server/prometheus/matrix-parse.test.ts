import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rangeDataSchema } from './api-schemas';
import { parseResponse } from './client-response';
import { parseMatrixResponse } from './matrix-parse';
import { openMetricsText, startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

const context = { prometheusUrl: 'http://test', operation: 'query_range', query: 'q' };

/** The general way: JSON.parse and the schemas. */
function general(text: string): { result: unknown; warnings: string[] } {
  const { data, warnings } = parseResponse(200, text, rangeDataSchema, context);
  return { result: data.result, warnings };
}

/** A deterministic generator of answers shaped as Prometheus writes them (JSON.stringify keeps key order, no spaces). */
function randomAnswers(count: number): string[] {
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state ^ (state >>> 13), 0x5bd1e995) + 0x9e3779b9) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T,>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const labelValues = ['plain', 'a "quoted" value', 'back\\slash', 'new\nline', 'brace } and { and ]', 'quote " then } brace', 'ends in backslash \\', 'comma, "x":1', 'ünïcødé α', '', '\u0001ctrl'];
  const sampleValues = ['0', '1', '-3.5', '0.3036', '1e-05', '123456789.123', 'NaN', '+Inf', '-Inf', '5e+300'];
  return Array.from({ length: count }, () => {
    const result = Array.from({ length: Math.floor(next() * 4) }, () => {
      const metric: Record<string, string> = {};
      for (let l = Math.floor(next() * 4); l > 0; l--) metric[pick(['__name__', 'cluster', 'pod', 'gpu', 'le'])] = pick(labelValues);
      const start = 1_795_000_000 + Math.floor(next() * 1000);
      const step = pick([1, 15, 60, 0.5]);
      const values = Array.from({ length: Math.floor(next() * 6) }, (_, i) => [start + i * step, pick(sampleValues)]);
      return { metric, values };
    });
    const answer: Record<string, unknown> = { status: 'success', data: { resultType: 'matrix', result } };
    if (next() < 0.3) answer.warnings = ['PromQL warning: something'];
    if (next() < 0.2) answer.infos = ['PromQL info: metric might not be a counter'];
    return JSON.stringify(answer);
  });
}

describe('parseMatrixResponse', () => {
  it('reads every generated answer as the general way does', () => {
    for (const text of randomAnswers(2_000)) {
      const fast = parseMatrixResponse(text);
      expect(fast, text).not.toBeNull();
      expect(fast, text).toEqual(general(text));
    }
  });

  it('sends anything else the general way: spaces, other shapes, escapes in values, extra keys, truncation', () => {
    const base = '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1,"2"]]}]}}';
    expect(parseMatrixResponse(base)).toEqual({ result: [{ metric: { a: 'b' }, values: [[1, 2]] }], warnings: [] });
    const others = [
      JSON.stringify(JSON.parse(base), null, 1),
      base.replace('"values":[[1,"2"]]', '"histograms":[[1,{"count":"1","sum":"1","buckets":[]}]]'),
      base.replace('"values":[[1,"2"]]', '"values":[[1,"2"]],"histograms":[]'),
      base.replace('"2"', '"\\u0032"'),
      base.replace('[1,"2"]', '[-1,"2"]'),
      base.replace('[1,"2"]', '[1.2.3,"2"]'),
      base.replace('[1,"2"]', '[1,2]'),
      base.replace('{"a":"b"}', '{"a":1}'),
      base.replace('"matrix"', '"vector"'),
      `${base.slice(0, -1)},"extra":1}`,
      `${base.slice(0, -1)},"warnings":[1]}`,
      base.slice(0, -10),
      '{"status":"error","errorType":"bad_data","error":"x"}',
      // Not JSON, which the general way refuses with its error: numbers JSON does not allow, raw
      // control characters in a string, a trailing comma.
      base.replace('[1,"2"]', '[0123,"2"]'),
      base.replace('[1,"2"]', '[1.,"2"]'),
      base.replace('[1,"2"]', '[.5,"2"]'),
      base.replace('[1,"2"]', '[.,"2"]'),
      base.replace('"2"', '"2\n"'),
      base.replace('"2"', '"2\t"'),
      `${base.slice(0, -1)},}`,
      // A label zod's record drops: the general way's answer stands.
      base.replace('{"a":"b"}', '{"__proto__":"x","a":"b"}'),
    ];
    for (const text of others) expect(parseMatrixResponse(text), text).toBeNull();
  });

  describe('against a real Prometheus', () => {
    let prometheus: PrometheusProcess;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const minutes = Array.from({ length: 61 }, (_, i) => nowSeconds - 3600 + i * 60);

    beforeAll(async () => {
      prometheus = await startPrometheus({
        openMetrics: openMetricsText([
          { name: 'fast_gauge', labels: { pod: 'a', cluster: 'lab "α" \\ edge\nrow 2' }, samples: minutes.map((t, i) => [t, i / 7]) },
          { name: 'fast_gauge', labels: { pod: 'b {x}', cluster: 'us' }, samples: minutes.map((t) => [t, 0.1 + 0.2]) },
          { name: 'fast_special', labels: { kind: 'nan' }, samples: minutes.map((t) => [t, Number.NaN]) },
          { name: 'fast_special', labels: { kind: 'inf' }, samples: minutes.map((t) => [t, Number.NEGATIVE_INFINITY]) },
        ]),
      });
    });

    afterAll(async () => {
      await prometheus?.close();
    });

    it.each([
      ['series with escaped labels', 'fast_gauge', 15],
      ['an aggregation', 'sum by (cluster) (fast_gauge)', 60],
      ['NaN and -Inf values', 'fast_special', 60],
      ['a rate with a warning-free empty answer', 'rate(no_such_metric[5m])', 60],
      ['sub-second steps', 'fast_gauge{pod="a"}', 0.5],
    ])('reads %s as the general way does, and takes the fast way', async (_name, query, step) => {
      const body = new URLSearchParams({ query, start: String(nowSeconds - 600), end: String(nowSeconds - 60), step: String(step) });
      const text = await (await fetch(`${prometheus.url}/api/v1/query_range`, { method: 'POST', body })).text();
      const fast = parseMatrixResponse(text);
      expect(fast, text.slice(0, 300)).not.toBeNull();
      expect(fast).toEqual(general(text));
    });
  });
});
