import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { isPlainJson, transformer } from './transformer';

/** What the browser gets: the serialized value over the wire, read by superjson. */
function overTheWire(value: unknown): unknown {
  return superjson.deserialize(JSON.parse(JSON.stringify(transformer.serialize(value))));
}

class Money {
  constructor(readonly amount: string) {}
}

describe('tRPC transformer', () => {
  const values: [string, unknown][] = [
    [
      'a panel answer',
      { status: 'ok', series: [{ name: 'GPU 0', labels: { gpu: '0' }, t: [1, 2, 3], v: [0.5, null, 2] }], stale: null },
    ],
    [
      'nested arrays and unicode',
      {
        rows: [
          [1, 'ä'],
          [true, false],
        ],
        empty: {},
        list: [],
      },
    ],
    ['a Date', { importedAt: new Date('2026-11-30T00:00:00Z') }],
    ['a Map and a Set', { m: new Map([['a', 1]]), s: new Set([1, 2]) }],
    [
      'NaN, ±Infinity and -0',
      { values: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0], one: Number.NaN },
    ],
    ['undefined in an array', [1, undefined, 3]],
    ['a BigInt', { n: 12345678901234567890n }],
    ['a class instance', { money: new Money('1.50') }],
    ['an undefined property', { a: 1, gone: undefined }],
    ['a bare string', 'text'],
    ['null', null],
  ];

  it.each(values)('%s reads the same in the browser as with superjson alone', (_, value) => {
    const expected = superjson.deserialize(JSON.parse(JSON.stringify(superjson.serialize(value))));
    expect(overTheWire(value)).toStrictEqual(expected);
  });

  it('skips superjson only for plain JSON', () => {
    expect(isPlainJson({ a: [1, 'b', null, { c: true }] })).toBe(true);
    expect(isPlainJson({ a: 1, d: undefined })).toBe(false);
    expect(isPlainJson({ when: new Date() })).toBe(false);
    expect(isPlainJson([1, Number.NaN])).toBe(false);
    expect(isPlainJson([-0])).toBe(false);
    expect(isPlainJson([undefined])).toBe(false);
    expect(isPlainJson({ money: new Money('1') })).toBe(false);
    expect(transformer.serialize({ a: 1 })).toEqual({ json: { a: 1 } });
    expect(transformer.serialize({ when: new Date(0) })).toHaveProperty('meta');
  });

  it('reads what the browser sends (superjson) as superjson does', () => {
    const input = { range: { from: 'now-6h', to: 'now' }, at: new Date(0) };
    expect(transformer.deserialize(superjson.serialize(input))).toEqual(input);
  });
});
