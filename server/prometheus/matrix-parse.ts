import 'server-only';
import { parseSampleValue, type MatrixSeries, type SamplePair } from './api-schemas';

// A range query's answer read in one pass over the text, straight into sample pairs: JSON.parse
// builds an array and a string per sample that the schema then copies into another array, which
// was ~40 % of the app's own work on a 6-hour panel and ~2 ms on a 7-day heatmap of 5 GPUs × 1,000 points.
// It reads only what Prometheus writes (no whitespace, keys in its order, plain value strings);
// anything else returns null and goes the general way (JSON.parse and the zod schemas), which
// also gives the errors. A test holds both ways to the same result on every shape they share.

const prefix = '{"status":"success","data":{"resultType":"matrix","result":[';
const metricKey = '{"metric":';
const valuesKey = ',"values":[';

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COMMA = 44;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

export interface MatrixResponse {
  result: MatrixSeries[];
  warnings: string[];
}

const unusualValue = /[\\\u0000-\u001f]/;

/** The index of the first character from `start` that is not a digit. */
function digitsEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    i++;
  }
  return i;
}

/** The index just past the JSON object starting at `start` (a `{`), or -1. Strings may hold braces. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_BRACE) {
      depth++;
    } else if (c === CLOSE_BRACE && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

function labelsOf(json: string): Record<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  // zod's record drops a `__proto__` label (valid in Prometheus): the general way decides.
  if (Object.hasOwn(parsed, '__proto__')) return null;
  for (const value of Object.values(parsed)) if (typeof value !== 'string') return null;
  return parsed as Record<string, string>;
}

/** `[t,"v"],[t,"v"]…]` from `start`; returns the pairs and the index past the closing `]`, or null. */
function samples(text: string, start: number): { pairs: SamplePair[]; end: number } | null {
  const pairs: SamplePair[] = [];
  let i = start;
  if (text.charCodeAt(i) === CLOSE_BRACKET) return { pairs, end: i + 1 };
  for (;;) {
    if (text.charCodeAt(i) !== OPEN_BRACKET) return null;
    // The timestamp as Prometheus writes it, a JSON number: digits (no leading zero), then
    // optionally a point and digits.
    const timeStart = ++i;
    i = digitsEnd(text, i);
    if (i === timeStart || (text.charCodeAt(timeStart) === ZERO && i > timeStart + 1)) return null;
    if (text.charCodeAt(i) === DOT) {
      const fractionStart = i + 1;
      i = digitsEnd(text, fractionStart);
      if (i === fractionStart) return null;
    }
    if (text.charCodeAt(i) !== COMMA || text.charCodeAt(i + 1) !== QUOTE) return null;
    const timestamp = Number(text.slice(timeStart, i));
    const valueStart = i + 2;
    const valueEnd = text.indexOf('"', valueStart);
    if (valueEnd < 0 || text.charCodeAt(valueEnd + 1) !== CLOSE_BRACKET) return null;
    const raw = text.slice(valueStart, valueEnd);
    // An escape, or a control character JSON does not allow raw in a string: the general way.
    if (unusualValue.test(raw)) return null;
    pairs.push([timestamp, parseSampleValue(raw)]);
    i = valueEnd + 2;
    const next = text.charCodeAt(i);
    if (next === CLOSE_BRACKET) return { pairs, end: i + 1 };
    if (next !== COMMA) return null;
    i++;
  }
}

/** The series of a successful range query answer as Prometheus writes it, or null for anything else. */
export function parseMatrixResponse(text: string): MatrixResponse | null {
  if (!text.startsWith(prefix)) return null;
  const result: MatrixSeries[] = [];
  let i = prefix.length;
  if (text.charCodeAt(i) === CLOSE_BRACKET) {
    i++;
  } else {
    for (;;) {
      if (!text.startsWith(metricKey, i)) return null;
      const metricStart = i + metricKey.length;
      if (text.charCodeAt(metricStart) !== OPEN_BRACE) return null;
      const metricEnd = objectEnd(text, metricStart);
      if (metricEnd < 0 || !text.startsWith(valuesKey, metricEnd)) return null;
      const metric = labelsOf(text.slice(metricStart, metricEnd));
      const values = metric && samples(text, metricEnd + valuesKey.length);
      if (!metric || !values || text.charCodeAt(values.end) !== CLOSE_BRACE) return null;
      result.push({ metric, values: values.pairs });
      i = values.end + 1;
      const next = text.charCodeAt(i);
      if (next === CLOSE_BRACKET) {
        i++;
        break;
      }
      if (next !== COMMA) return null;
      i++;
    }
  }
  // What follows `data`: `}` alone, or `,"warnings":[…]` / `,"infos":[…]` before it.
  if (text.charCodeAt(i) !== CLOSE_BRACE) return null;
  const rest = text.slice(i + 1);
  if (rest === '}') return { result, warnings: [] };
  let tail: unknown;
  try {
    // In place of `data`, a stand-in: the text parses only if what follows it is valid JSON.
    tail = JSON.parse(`{"data":0${rest}`);
  } catch {
    return null;
  }
  if (typeof tail !== 'object' || tail === null) return null;
  const { data: _standIn, warnings, infos, ...others } = tail as { data: unknown; warnings?: unknown; infos?: unknown };
  const strings = (value: unknown): boolean => value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
  if (Object.keys(others).length > 0 || !strings(warnings) || !strings(infos)) return null;
  return { result, warnings: (warnings as string[] | undefined) ?? [] };
}
