import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBytes,
  formatJoules,
  formatMoney,
  formatPercent,
  formatSeconds,
  formatValue,
  formatWatts,
} from './format';

describe('formatMoney (decimal strings, never floats)', () => {
  it.each([
    ['83.705', '$83.71'], // half-up on the third decimal: .705 → .71
    ['1234567.004', '$1,234,567.00'],
    ['0.0042', '$0.0042'], // below one cent keeps its significant digits
    ['-12.5', '-$12.50'],
    ['9.995', '$10.00'], // the carry runs into the whole part: 9.99|5 → 10.00
    ['0.1', '$0.10'],
  ])('%s → %s', (amount, shown) => {
    expect(formatMoney(amount)).toBe(shown);
  });

  it('does not guess at what is not a decimal', () => {
    expect(formatMoney('1e3')).toBe('–');
    expect(formatMoney(null)).toBe('–');
  });
});

describe('units', () => {
  it('bytes step by 1024: 23,028 MiB = 22.5 GiB', () => {
    // 23028 / 1024 = 22.488… → 3 significant figures: 22.5
    expect(formatValue(23_028, 'mebibytes')).toBe('22.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('watts switch to kW at 1,000 W', () => {
    expect(formatWatts(999)).toBe('999 W');
    expect(formatWatts(4_430)).toBe('4.43 kW');
  });

  it('joules show as kWh from 0.1 kWh (360,000 J)', () => {
    expect(formatJoules(3_600_000)).toBe('1 kWh');
    expect(formatJoules(2_500)).toBe('2.5 kJ');
  });

  it('seconds: ms below 1 s, minutes from 2 min', () => {
    expect(formatSeconds(0.0351)).toBe('35.1 ms');
    expect(formatSeconds(4.37)).toBe('4.37 s');
    expect(formatSeconds(600)).toBe('10 min');
  });

  it('ratios print as percentages, one decimal under 10 %', () => {
    expect(formatValue(0.334, 'ratio')).toBe('33 %');
    expect(formatPercent(4.25)).toBe('4.3 %');
  });

  it('missing values print as a dash, never 0', () => {
    expect(formatValue(null, 'watts')).toBe('–');
    expect(formatValue(Number.NaN, 'ratio')).toBe('–');
  });

  it('ages', () => {
    expect(formatAge(0, 185_000)).toBe('3 min ago');
  });
});
