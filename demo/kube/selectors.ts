// Label and field selectors, parsed the way the API server reads its query parameters.
import type { KubeObject } from './store.ts';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function parseTerm(term: string): Requirement {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = (set[3] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    return { op: set[2] === 'in' ? 'in' : 'notin', key: set[1] ?? '', values };
  }
  const neq = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(term);
  if (neq) return { op: 'neq', key: neq[1] ?? '', value: neq[2] ?? '' };
  const eq = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(term);
  if (eq) return { op: 'eq', key: eq[1] ?? '', value: eq[2] ?? '' };
  const not = /^!\s*([^\s!=]+)$/.exec(term);
  if (not) return { op: 'notexists', key: not[1] ?? '' };
  if (/^[^\s!=(),]+$/.test(term)) return { op: 'exists', key: term };
  throw new SelectorError(`unable to parse requirement: ${term}`);
}

function matches(requirements: Requirement[], lookup: (key: string) => string | undefined): boolean {
  return requirements.every((r) => {
    const value = lookup(r.key);
    switch (r.op) {
      case 'eq':
        return value === r.value;
      case 'neq':
        return value !== r.value;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case 'exists':
        return value !== undefined;
      case 'notexists':
        return value === undefined;
    }
  });
}

export type ObjectPredicate = (obj: KubeObject) => boolean;

export function parseLabelSelector(text: string | null | undefined): ObjectPredicate {
  if (!text) return () => true;
  const requirements = splitTerms(text).map(parseTerm);
  return (obj) => matches(requirements, (key) => obj.metadata.labels?.[key]);
}

/** Field selectors: equality on any dotted path (metadata.name, spec.nodeName, involvedObject.uid …). */
export function parseFieldSelector(text: string | null | undefined): ObjectPredicate {
  if (!text) return () => true;
  const requirements = splitTerms(text).map(parseTerm);
  for (const r of requirements) {
    if (r.op !== 'eq' && r.op !== 'neq') throw new SelectorError(`field selectors support only =, == and !=: ${r.key}`);
  }
  return (obj) => matches(requirements, (key) => fieldValue(obj, key));
}

function fieldValue(obj: KubeObject, path: string): string {
  let value: unknown = obj;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return '';
  return String(value);
}

/** A LabelSelector object (matchLabels, matchExpressions) as the string form. */
export function labelSelectorString(
  selector:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      }
    | undefined,
): string {
  if (!selector) return '';
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') terms.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
    else if (op === 'exists') terms.push(e.key);
    else if (op === 'doesnotexist') terms.push(`!${e.key}`);
  }
  return terms.join(',');
}
