/** Prometheus's /graph page showing `promql` over the same range and step, for "show query". */
export function prometheusGraphUrl(
  prometheusUrl: string,
  promql: string,
  startMs: number,
  endMs: number,
  stepSeconds: number,
): string {
  const params = new URLSearchParams({
    'g0.expr': promql,
    'g0.tab': '0',
    'g0.range_input': `${Math.max(1, Math.round((endMs - startMs) / 1000))}s`,
    'g0.end_input': new Date(endMs).toISOString().slice(0, 19).replace('T', ' '),
    'g0.step_input': String(stepSeconds),
  });
  return `${prometheusUrl.replace(/\/+$/, '')}/graph?${params.toString()}`;
}
