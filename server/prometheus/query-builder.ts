import 'server-only';

declare const promQlBrand: unique symbol;
/** PromQL built by this module from validated, escaped parts; raw strings do not type-check as PromQl. */
export type PromQl = string & { readonly [promQlBrand]: true };

export class PromQlBuildError extends Error {
  override readonly name = 'PromQlBuildError';
}

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function promQl(text: string): PromQl {
  return text as PromQl;
}

/** The longest ad-hoc query the explore box accepts. */
export const maxExploreQueryChars = 4000;

/**
 * The one way a raw string becomes PromQl: the admin-only explore box (server/metrics/explore.ts),
 * whose procedure checks the admin role. Prometheus itself parses it; nothing else is built on it.
 */
export function adminExploreQuery(text: string): PromQl {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new PromQlBuildError('the query is empty');
  if (trimmed.length > maxExploreQueryChars)
    throw new PromQlBuildError(`the query is longer than ${maxExploreQueryChars} characters`);
  return promQl(trimmed);
}

export function assertMetricName(name: string): string {
  if (!metricNamePattern.test(name)) throw new PromQlBuildError(`invalid metric name: ${JSON.stringify(name)}`);
  return name;
}

export function assertLabelName(name: string): string {
  if (!labelNamePattern.test(name)) throw new PromQlBuildError(`invalid label name: ${JSON.stringify(name)}`);
  return name;
}

/** Escapes a string for a double-quoted PromQL literal (Go string escapes). */
export function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** Escapes RE2 metacharacters so `value` matches itself literally inside `=~`/`!~`. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function quoted(value: string): string {
  return `"${escapeLabelValue(value)}"`;
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  /** For `=~`/`!~`, an RE2 pattern (Prometheus anchors it at both ends). */
  value: string;
}

export function eq(label: string, value: string): LabelMatcher {
  return { label, op: '=', value };
}

export function neq(label: string, value: string): LabelMatcher {
  return { label, op: '!=', value };
}

/** `label=~pattern`; with `literal: true` the value is matched as plain text. */
export function re(label: string, pattern: string, options: { literal?: boolean } = {}): LabelMatcher {
  return { label, op: '=~', value: options.literal ? escapeRegex(pattern) : pattern };
}

export function nre(label: string, pattern: string, options: { literal?: boolean } = {}): LabelMatcher {
  return { label, op: '!~', value: options.literal ? escapeRegex(pattern) : pattern };
}

/** `label=~"v1|v2|…"` with every value matched literally, for multi-select filters. */
export function oneOf(label: string, values: readonly string[]): LabelMatcher {
  if (values.length === 0) throw new PromQlBuildError(`oneOf(${label}) needs at least one value`);
  return { label, op: '=~', value: values.map(escapeRegex).join('|') };
}

/** An instant vector selector: `metric{matchers}`, or `{matchers}` when `metric` is null. */
export function selector(metric: string | null, matchers: readonly LabelMatcher[] = []): PromQl {
  const name = metric === null ? '' : assertMetricName(metric);
  if (name === '' && matchers.length === 0) throw new PromQlBuildError('a selector needs a metric name or a matcher');
  const parts = matchers.map((m) => `${assertLabelName(m.label)}${m.op}${quoted(m.value)}`);
  return promQl(parts.length === 0 ? name : `${name}{${parts.join(',')}}`);
}

/** A PromQL duration for whole seconds (`300s`) or milliseconds (`1500ms`). */
export function duration(seconds: number): string {
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new PromQlBuildError(`invalid duration: ${seconds} s`);
  if (Number.isInteger(seconds)) return `${seconds}s`;
  const ms = Math.round(seconds * 1000);
  if (ms < 1) throw new PromQlBuildError(`duration below 1 ms: ${seconds} s`);
  return `${ms}ms`;
}

/** A number literal (NaN and infinities included). */
export function num(value: number): PromQl {
  if (Number.isNaN(value)) return promQl('NaN');
  if (value === Number.POSITIVE_INFINITY) return promQl('+Inf');
  if (value === Number.NEGATIVE_INFINITY) return promQl('-Inf');
  return promQl(String(value));
}

/** `(expr)[window:step]`: a subquery, for range functions over an expression instead of a selector. */
export function subquery(expr: PromQl, windowSeconds: number, stepSeconds?: number): PromQl {
  const step = stepSeconds === undefined ? '' : duration(stepSeconds);
  return promQl(`(${expr})[${duration(windowSeconds)}:${step}]`);
}

// Exactly what `selector()` emits: optional name, then `{label op "escaped", …}`; anything else needs a subquery.
const plainSelectorPattern =
  /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*(?:=|!=|=~|!~)"(?:[^"\\]|\\.)*",?)*\})?$/s;

function isPlainSelector(expr: PromQl): boolean {
  return plainSelectorPattern.test(expr);
}

function overRange(fn: string, expr: PromQl, windowSeconds: number): PromQl {
  const range = isPlainSelector(expr) ? `${expr}[${duration(windowSeconds)}]` : subquery(expr, windowSeconds);
  return promQl(`${fn}(${range})`);
}

export const rate = (expr: PromQl, windowSeconds: number): PromQl => overRange('rate', expr, windowSeconds);
export const irate = (expr: PromQl, windowSeconds: number): PromQl => overRange('irate', expr, windowSeconds);
export const increase = (expr: PromQl, windowSeconds: number): PromQl => overRange('increase', expr, windowSeconds);
export const avgOverTime = (expr: PromQl, windowSeconds: number): PromQl =>
  overRange('avg_over_time', expr, windowSeconds);
export const maxOverTime = (expr: PromQl, windowSeconds: number): PromQl =>
  overRange('max_over_time', expr, windowSeconds);
export const minOverTime = (expr: PromQl, windowSeconds: number): PromQl =>
  overRange('min_over_time', expr, windowSeconds);
export const sumOverTime = (expr: PromQl, windowSeconds: number): PromQl =>
  overRange('sum_over_time', expr, windowSeconds);
export const lastOverTime = (expr: PromQl, windowSeconds: number): PromQl =>
  overRange('last_over_time', expr, windowSeconds);

export interface Grouping {
  by?: readonly string[];
  without?: readonly string[];
}

function groupingClause(grouping: Grouping | undefined): string {
  if (!grouping) return '';
  if (grouping.by && grouping.without) throw new PromQlBuildError('use either by or without, not both');
  if (grouping.by) return ` by (${grouping.by.map(assertLabelName).join(', ')})`;
  if (grouping.without) return ` without (${grouping.without.map(assertLabelName).join(', ')})`;
  return '';
}

type Aggregation = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'stddev' | 'group';

function aggregate(op: Aggregation, expr: PromQl, grouping?: Grouping): PromQl {
  return promQl(`${op}${groupingClause(grouping)} (${expr})`);
}

export const sum = (expr: PromQl, grouping?: Grouping): PromQl => aggregate('sum', expr, grouping);
export const avg = (expr: PromQl, grouping?: Grouping): PromQl => aggregate('avg', expr, grouping);
export const min = (expr: PromQl, grouping?: Grouping): PromQl => aggregate('min', expr, grouping);
export const max = (expr: PromQl, grouping?: Grouping): PromQl => aggregate('max', expr, grouping);
export const count = (expr: PromQl, grouping?: Grouping): PromQl => aggregate('count', expr, grouping);
export const group = (expr: PromQl, grouping?: Grouping): PromQl => aggregate('group', expr, grouping);

function assertPositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new PromQlBuildError(`${name} must be a positive integer`);
  return value;
}

function assertQuantile(q: number): number {
  if (!(q >= 0 && q <= 1)) throw new PromQlBuildError(`quantile must be within [0, 1], got ${q}`);
  return q;
}

export function topk(k: number, expr: PromQl, grouping?: Grouping): PromQl {
  return promQl(`topk${groupingClause(grouping)} (${assertPositiveInteger('k', k)}, ${expr})`);
}

export function bottomk(k: number, expr: PromQl, grouping?: Grouping): PromQl {
  return promQl(`bottomk${groupingClause(grouping)} (${assertPositiveInteger('k', k)}, ${expr})`);
}

export function quantile(q: number, expr: PromQl, grouping?: Grouping): PromQl {
  return promQl(`quantile${groupingClause(grouping)} (${assertQuantile(q)}, ${expr})`);
}

/** `histogram_quantile(q, expr)`; `expr` is usually `sum by (le, …) (rate(x_bucket[w]))`. */
export function histogramQuantile(q: number, expr: PromQl): PromQl {
  return promQl(`histogram_quantile(${assertQuantile(q)}, ${expr})`);
}

export function clampMin(expr: PromQl, minimum: number): PromQl {
  return promQl(`clamp_min(${expr}, ${num(minimum)})`);
}

export function clampMax(expr: PromQl, maximum: number): PromQl {
  return promQl(`clamp_max(${expr}, ${num(maximum)})`);
}

/** `label_replace(expr, dst, replacement, src, regex)`, e.g. to join `exported_namespace` as `namespace`. */
export function labelReplace(expr: PromQl, dst: string, replacement: string, src: string, regex: string): PromQl {
  const args = [quoted(assertLabelName(dst)), quoted(replacement), quoted(assertLabelName(src)), quoted(regex)];
  return promQl(`label_replace(${expr}, ${args.join(', ')})`);
}

export type BinaryOp =
  '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'and' | 'or' | 'unless';

export interface VectorMatching {
  on?: readonly string[];
  ignoring?: readonly string[];
  groupLeft?: readonly string[];
  groupRight?: readonly string[];
  /** For comparisons: return 0/1 instead of filtering. */
  bool?: boolean;
}

/** `(left) op (right)` with optional `on`/`ignoring` and `group_left`/`group_right`. */
export function binary(left: PromQl, op: BinaryOp, right: PromQl, matching: VectorMatching = {}): PromQl {
  if (matching.on && matching.ignoring) throw new PromQlBuildError('use either on or ignoring, not both');
  if (matching.groupLeft && matching.groupRight) throw new PromQlBuildError('use either group_left or group_right');
  const labels = (names: readonly string[]): string => `(${names.map(assertLabelName).join(', ')})`;
  const parts: string[] = [op];
  if (matching.bool) parts.push('bool');
  if (matching.on) parts.push(`on${labels(matching.on)}`);
  if (matching.ignoring) parts.push(`ignoring${labels(matching.ignoring)}`);
  if (matching.groupLeft) parts.push(`group_left${labels(matching.groupLeft)}`);
  if (matching.groupRight) parts.push(`group_right${labels(matching.groupRight)}`);
  return promQl(`(${left}) ${parts.join(' ')} (${right})`);
}

/**
 * Rate window in seconds: at least four scrapes (so one missed scrape still leaves two samples)
 * and at least one step plus one scrape (so consecutive points overlap and no sample is skipped).
 */
export function rateWindow(scrapeIntervalSeconds: number, stepSeconds: number): number {
  assertPositive('scrapeIntervalSeconds', scrapeIntervalSeconds);
  assertPositive('stepSeconds', stepSeconds);
  return Math.max(4 * scrapeIntervalSeconds, stepSeconds + scrapeIntervalSeconds);
}

/** Step in whole seconds: the range spread over `pointsWanted`, never finer than the scrape interval. */
export function stepFor(rangeSeconds: number, pointsWanted: number, scrapeIntervalSeconds: number): number {
  assertPositive('rangeSeconds', rangeSeconds);
  assertPositive('pointsWanted', pointsWanted);
  assertPositive('scrapeIntervalSeconds', scrapeIntervalSeconds);
  return Math.ceil(Math.max(rangeSeconds / pointsWanted, scrapeIntervalSeconds));
}

/** Floors start and end to multiples of the step, so the same panel asked twice a few seconds apart hits the cache. */
export function alignRange(
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number,
): { startSeconds: number; endSeconds: number } {
  assertPositive('stepSeconds', stepSeconds);
  if (endSeconds < startSeconds) throw new RangeError('end is before start');
  const alignedStart = Math.floor(startSeconds / stepSeconds) * stepSeconds;
  const alignedEnd = Math.max(alignedStart, Math.floor(endSeconds / stepSeconds) * stepSeconds);
  return { startSeconds: alignedStart, endSeconds: alignedEnd };
}

function assertPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
}
