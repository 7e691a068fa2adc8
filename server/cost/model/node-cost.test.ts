import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { nodeHourCost, type OpenCostNodePrices } from './node-cost';
import { DEFAULT_PRICE_SHEET, gpuDeviceHourPrice, type PriceSheet } from './price-sheet';
import type { NodeHourCost } from '../types';
import { GIB, nodeHour, text } from './test-data';

// A sheet with round prices so the arithmetic reads by hand.
const sheet: PriceSheet = {
  ...DEFAULT_PRICE_SHEET,
  cpuPerVcpuHour: new Decimal('0.04'),
  memoryPerGibHour: new Decimal('0.005'),
  gpuPerDeviceHourByModel: { H100: new Decimal('6.88'), A100: new Decimal('4.10'), L4: new Decimal('0.80') },
  gpuPerDeviceHourDefault: new Decimal('1'),
  source: 'test sheet',
};
const m5 = nodeHour({ cpuCores: 8, memoryBytes: 32 * GIB });
const parts = (c: NodeHourCost): string[] => [c.total, c.cpu, c.memory, c.gpu].map(text);
const noOpenCost = { openCost: null, priceSheet: sheet, billingCurrency: 'USD' };

describe('nodeHourCost', () => {
  it('a savings-plan node costs its billed EffectiveCost, not the list price', () => {
    // Sheet (list-like) price would be 8 × 0.04 + 32 × 0.005 = 0.48; the bill says 0.2496 after the plan.
    // Split by sheet weights 0.32 : 0.16 = 2 : 1 → cpu 0.1664, memory 0.0832.
    const cost = nodeHourCost(m5, { ...noOpenCost, billedEffectiveCost: new Decimal('0.2496') });
    expect(cost.source).toBe('bill');
    expect(parts(cost)).toEqual(['0.2496', '0.1664', '0.0832', '0']);
  });

  it('a spot node that ran half the hour costs what was billed for it, not halved again', () => {
    // Billed 0.0912 for the 30 minutes it ran; split 2 : 1 → 0.0608 + 0.0304.
    const spot = { ...m5, hoursPresent: 0.5 };
    const cost = nodeHourCost(spot, { ...noOpenCost, billedEffectiveCost: new Decimal('0.0912') });
    expect([text(cost.total), text(cost.cpu), text(cost.memory)]).toEqual(['0.0912', '0.0608', '0.0304']);
  });

  it("without a bill line, OpenCost's component prices price and split the node", () => {
    // 4 vCPU × 0.03 + 16 GiB × 0.004 + 1 GPU × 1.00 = 0.12 + 0.064 + 1.00 = 1.184 per hour; × 0.5 h = 0.592.
    const node = nodeHour({ gpuDevices: 1, gpuModel: 'NVIDIA L4', hoursPresent: 0.5 });
    const openCost: OpenCostNodePrices = {
      totalPerHour: null,
      cpuPerVcpuHour: new Decimal('0.03'),
      ramPerGibHour: new Decimal('0.004'),
      gpuPerDeviceHour: new Decimal('1.00'),
    };
    const cost = nodeHourCost(node, { ...noOpenCost, openCost, billedEffectiveCost: null });
    expect(cost.source).toBe('opencost');
    expect(parts(cost)).toEqual(['0.592', '0.06', '0.032', '0.5']);
  });

  it('node_total_hourly_cost alone is split by the sheet weights', () => {
    // Total 2.00; weights 8 × 0.04 = 0.32 and 32 × 0.005 = 0.16 → 2 × 2/3 = 1.3333333333, 2 × 1/3 = 0.6666666667.
    const openCost: OpenCostNodePrices = {
      totalPerHour: new Decimal('2.00'),
      cpuPerVcpuHour: null,
      ramPerGibHour: null,
      gpuPerDeviceHour: null,
    };
    const cost = nodeHourCost(m5, { ...noOpenCost, openCost, billedEffectiveCost: null });
    expect([text(cost.cpu), text(cost.memory)]).toEqual(['1.3333333333', '0.6666666667']);
    expect(text(cost.cpu.plus(cost.memory))).toBe('2');
  });

  it('falls back to the price sheet, GPU priced by model', () => {
    // 16 × 0.04 + 64 × 0.005 + 2 × 6.88 (H100) = 0.64 + 0.32 + 13.76 = 14.72.
    const node = nodeHour({ cpuCores: 16, memoryBytes: 64 * GIB, gpuDevices: 2, gpuModel: 'NVIDIA H100 80GB HBM3' });
    const cost = nodeHourCost(node, { ...noOpenCost, billedEffectiveCost: null });
    expect(cost.source).toBe('price-sheet');
    expect(parts(cost)).toEqual(['14.72', '0.64', '0.32', '13.76']);
  });

  it('puts the rounding remainder in the largest part so that the parts add up exactly', () => {
    // 1.00 over three equal weights (4 × 0.04, 32 GiB × 0.005, 1 GPU × 0.16 = 0.16 each): 0.3333333333 × 3 =
    // 0.9999999999; the remainder 0.0000000001 goes to the first largest part, cpu.
    const node = nodeHour({ cpuCores: 4, memoryBytes: 32 * GIB, gpuDevices: 1 });
    const evenSheet = { ...sheet, gpuPerDeviceHourDefault: new Decimal('0.16') };
    const cost = nodeHourCost(node, { ...noOpenCost, priceSheet: evenSheet, billedEffectiveCost: new Decimal('1') });
    expect([text(cost.cpu), text(cost.memory), text(cost.gpu)]).toEqual([
      '0.3333333334',
      '0.3333333333',
      '0.3333333333',
    ]);
    expect(cost.cpu.plus(cost.memory).plus(cost.gpu).equals(cost.total)).toBe(true);
  });

  it('matches GPU models by the longest key and falls back to the default', () => {
    expect(text(gpuDeviceHourPrice(DEFAULT_PRICE_SHEET, 'NVIDIA L40S'))).toBe('1.86');
    expect(text(gpuDeviceHourPrice(DEFAULT_PRICE_SHEET, 'NVIDIA L4'))).toBe('0.8');
    expect(text(gpuDeviceHourPrice(DEFAULT_PRICE_SHEET, 'Tesla V100-SXM2-16GB'))).toBe('0.95');
  });

  it('refuses a node present for more than an hour, naming the field', () => {
    expect(() => nodeHourCost({ ...m5, hoursPresent: 1.5 }, { ...noOpenCost, billedEffectiveCost: null })).toThrow(
      /node prod\/node-1: hoursPresent must be ≤ 1/,
    );
  });
});
