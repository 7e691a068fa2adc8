// Formatting shared by the FOCUS line builders: exact money, ISO times, SKU ids, CSV fields.
import Decimal from 'decimal.js';
import { hashUniform } from '../sim/noise.ts';
import type { FocusRow } from './focus-columns.ts';

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export function money(d: Decimal): string {
  return d.toDecimalPlaces(10).toFixed(10);
}

/** List, contracted, billed and effective cost all equal: usage with no discount. */
export function sameCosts(cost: Decimal, unitPrice: Decimal): FocusRow {
  const c = money(cost);
  return {
    ListUnitPrice: unitPrice.toFixed(),
    ListCost: c,
    ContractedUnitPrice: unitPrice.toFixed(),
    ContractedCost: c,
    BilledCost: c,
    EffectiveCost: c,
  };
}

export function sku(key: string): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[Math.floor(hashUniform(7, key, i) * alphabet.length)];
  return out;
}

export function csvField(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
