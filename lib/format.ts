// Units as the UI prints them. Browser-safe. Money arrives as decimal strings and is only
// re-punctuated here (never parsed into a float), so what is shown is what was computed.

export type Unit =
  | 'percent'
  | 'ratio'
  | 'mebibytes'
  | 'bytes'
  | 'watts'
  | 'joules'
  | 'kwh'
  | 'kwh-per-hour'
  | 'requests-per-second'
  | 'seconds'
  | 'milliseconds'
  | 'celsius'
  | 'count'
  | 'gpus'
  | 'usd-per-hour';

const dash = '–';

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Up to `digits` significant figures, without trailing zeros past the point. */
function significant(value: number, digits = 3): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 10 ** digits) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(digits)));
}

export function formatPercent(percent: number | null | undefined): string {
  if (!finite(percent)) return dash;
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)} %`;
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (!finite(bytes)) return dash;
  let value = bytes;
  let index = 0;
  while (Math.abs(value) >= 1024 && index < byteUnits.length - 1) {
    value /= 1024;
    index += 1;
  }
  return `${significant(value)} ${byteUnits[index]}`;
}

export function formatMebibytes(mebibytes: number | null | undefined): string {
  return finite(mebibytes) ? formatBytes(mebibytes * 1024 * 1024) : dash;
}

export function formatWatts(watts: number | null | undefined): string {
  if (!finite(watts)) return dash;
  if (Math.abs(watts) >= 1000) return `${significant(watts / 1000)} kW`;
  return `${significant(watts)} W`;
}

export function formatJoules(joules: number | null | undefined): string {
  if (!finite(joules)) return dash;
  // Above 0.1 kWh, kWh is the unit people compare with their bill.
  if (Math.abs(joules) >= 360_000) return formatKwh(joules / 3.6e6);
  if (Math.abs(joules) >= 1000) return `${significant(joules / 1000)} kJ`;
  return `${significant(joules)} J`;
}

export function formatKwh(kwh: number | null | undefined): string {
  if (!finite(kwh)) return dash;
  if (Math.abs(kwh) >= 1000) return `${significant(kwh / 1000)} MWh`;
  return `${significant(kwh)} kWh`;
}

export function formatRequestsPerSecond(rps: number | null | undefined): string {
  if (!finite(rps)) return dash;
  return `${significant(rps)} req/s`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (!finite(seconds)) return dash;
  const abs = Math.abs(seconds);
  if (abs < 1) return `${significant(seconds * 1000)} ms`;
  if (abs < 120) return `${significant(seconds)} s`;
  if (abs < 7200) return `${significant(seconds / 60)} min`;
  return `${significant(seconds / 3600)} h`;
}

/** Money from a decimal string: thousands separators, two decimals (more below one cent), never a float. */
export function formatMoney(amount: string | null | undefined, currency = 'USD'): string {
  if (amount === null || amount === undefined) return dash;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return dash;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const wholeTrimmed = whole.replace(/^0+(?=\d)/, '');
  const tiny = wholeTrimmed === '0' && /^00/.test(fraction.padEnd(2, '0')) && /[1-9]/.test(fraction);
  const decimals = tiny ? Math.min(fraction.replace(/0+$/, '').length, 6) : 2;
  const fractionShown = roundFraction(wholeTrimmed, fraction, decimals);
  const grouped = fractionShown.whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol = currency === 'USD' ? '$' : `${currency} `;
  return `${sign}${symbol}${grouped}.${fractionShown.fraction}`;
}

/** Half-up rounding on the digit strings themselves. */
function roundFraction(whole: string, fraction: string, decimals: number): { whole: string; fraction: string } {
  const padded = fraction.padEnd(decimals + 1, '0');
  const kept = `${whole}${padded.slice(0, decimals)}`;
  const roundUp = Number(padded[decimals]) >= 5;
  const digits = roundUp ? incrementDigits(kept) : kept;
  const wholeLength = digits.length - decimals;
  return { whole: digits.slice(0, wholeLength) || '0', fraction: digits.slice(wholeLength) };
}

function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}

/** A number in the given unit, as shown on axes, tooltips and KPIs. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  switch (unit) {
    case 'percent':
      return formatPercent(value);
    case 'ratio':
      return formatPercent(finite(value) ? value * 100 : value);
    case 'mebibytes':
      return formatMebibytes(value);
    case 'bytes':
      return formatBytes(value);
    case 'watts':
      return formatWatts(value);
    case 'joules':
      return formatJoules(value);
    case 'kwh':
      return formatKwh(value);
    case 'kwh-per-hour':
      return finite(value) ? `${formatKwh(value)}/h` : dash;
    case 'requests-per-second':
      return formatRequestsPerSecond(value);
    case 'seconds':
      return formatSeconds(value);
    case 'milliseconds':
      return formatSeconds(finite(value) ? value / 1000 : value);
    case 'celsius':
      return finite(value) ? `${Math.round(value)} °C` : dash;
    case 'gpus':
      return finite(value) ? `${significant(value)} GPU${value === 1 ? '' : 's'}` : dash;
    case 'usd-per-hour':
      return finite(value) ? `${formatMoney(value.toFixed(4))}/h` : dash;
    case 'count':
      return finite(value) ? significant(value) : dash;
  }
}

/** "3 min ago", for stale badges. */
export function formatAge(sinceMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - sinceMs) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Axis tick: time of day for short ranges, date and hour for long ones (UTC, like the rest of the UI). */
export function formatTick(ms: number, rangeMs: number): string {
  const iso = new Date(ms).toISOString();
  if (rangeMs <= 36 * 3_600_000) return iso.slice(11, 16);
  return `${iso.slice(5, 10)} ${iso.slice(11, 13)}h`;
}
