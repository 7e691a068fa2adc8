import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { idleShareOf, unitCosts, type UnitCosts } from './unit-cost';
import { text } from './test-data';

const texts = (u: UnitCosts): (string | null)[] =>
  [u.perRequest, u.per1kRequests, u.per1MTokens, u.per1MPromptTokens, u.per1MGeneratedTokens].map((d) =>
    d === null ? null : text(d),
  );

describe('unitCosts', () => {
  it('gives cost per request, per 1,000 requests and per 1M tokens, with and without idle', () => {
    // 24.00 over a day, 48,000 requests, 30M prompt + 10M generated tokens; idle share 6.00.
    const u = unitCosts({
      cost: new Decimal('24.00'),
      idleShare: new Decimal('6.00'),
      requests: 48_000,
      promptTokens: 30_000_000,
      generatedTokens: 10_000_000,
    });
    // 24 / 48,000 = 0.0005; × 1,000 = 0.5; 24 / 40M × 1e6 = 0.6; 24 / 30M × 1e6 = 0.8; 24 / 10M × 1e6 = 2.4.
    expect(texts(u.withoutIdle)).toEqual(['0.0005', '0.5', '0.6', '0.8', '2.4']);
    // With idle: 30 / 48,000 = 0.000625; 0.625; 30 / 40 = 0.75; 30 / 30 = 1; 30 / 10 = 3.
    expect(texts(u.withIdle)).toEqual(['0.000625', '0.625', '0.75', '1', '3']);
  });

  it('gives null, not Infinity, when nothing was served', () => {
    // A scaled-to-zero model that still cost 1.20: zero requests and zero tokens.
    const u = unitCosts({
      cost: new Decimal('1.20'),
      idleShare: new Decimal('0'),
      requests: 0,
      promptTokens: 0,
      generatedTokens: 0,
    });
    expect(texts(u.withoutIdle)).toEqual([null, null, null, null, null]);
    expect(texts(u.withIdle)).toEqual([null, null, null, null, null]);
  });

  it('has no token figures for a server that does not count tokens', () => {
    const u = unitCosts({
      cost: new Decimal('3'),
      idleShare: new Decimal('0'),
      requests: 1_000,
      promptTokens: null,
      generatedTokens: null,
    });
    // 3 / 1,000 = 0.003 per request, 3 per 1,000.
    expect(texts(u.withoutIdle)).toEqual(['0.003', '3', null, null, null]);
  });

  it('refuses a negative count, naming it', () => {
    expect(() =>
      unitCosts({
        cost: new Decimal('1'),
        idleShare: new Decimal('0'),
        requests: -5,
        promptTokens: null,
        generatedTokens: null,
      }),
    ).toThrow('requests must be a finite number ≥ 0, got -5');
  });

  it('shares idle in proportion to cost', () => {
    // Idle 9.00; the workload costs 3.00 of 12.00 → 9 × 3/12 = 2.25.
    expect(text(idleShareOf(new Decimal('3'), new Decimal('12'), new Decimal('9')))).toBe('2.25');
    expect(text(idleShareOf(new Decimal('0'), new Decimal('0'), new Decimal('9')))).toBe('0');
  });
});
