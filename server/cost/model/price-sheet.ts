// The price sheet: hourly unit prices used when neither the bill nor OpenCost prices a node, and as
// the weights that split any node's cost into CPU, memory and GPU.
import Decimal from 'decimal.js';

export interface PriceSheet {
  currency: string;
  cpuPerVcpuHour: Decimal;
  memoryPerGibHour: Decimal;
  /** Per GPU model: a key matches a DCGM modelName that contains it (case-insensitive, longest key first). */
  gpuPerDeviceHourByModel: Readonly<Record<string, Decimal>>;
  /** For a model no key matches, or an unknown model. */
  gpuPerDeviceHourDefault: Decimal;
  /** Where these figures come from, shown beside every price-sheet figure. */
  source: string;
}

/**
 * Defaults: CPU and RAM are OpenCost's default custom pricing (configs/default.json: CPU 0.031611
 * $/vCPU-h, RAM 0.004237 $/GiB-h, GPU 0.95 $/h). Per-model GPU prices are approximate AWS us-east-1
 * on-demand list prices of the 8-GPU (or 1-GPU) instance ÷ its GPUs; replace them with your own.
 */
export const DEFAULT_PRICE_SHEET: PriceSheet = {
  currency: 'USD',
  cpuPerVcpuHour: new Decimal('0.031611'),
  memoryPerGibHour: new Decimal('0.004237'),
  gpuPerDeviceHourByModel: {
    H200: new Decimal('10.60'),
    H100: new Decimal('6.88'),
    A100: new Decimal('4.10'),
    L40S: new Decimal('1.86'),
    A10G: new Decimal('1.01'),
    L4: new Decimal('0.80'),
    T4: new Decimal('0.53'),
  },
  gpuPerDeviceHourDefault: new Decimal('0.95'),
  source:
    'defaults: CPU/RAM/GPU from OpenCost default pricing; per-model GPU from AWS us-east-1 on-demand prices ÷ GPUs',
};

/** The sheet's hourly price of one device of `model`. */
export function gpuDeviceHourPrice(sheet: PriceSheet, model: string | null): Decimal {
  if (model) {
    const name = model.toLowerCase();
    const keys = Object.keys(sheet.gpuPerDeviceHourByModel).sort((a, b) => b.length - a.length);
    const key = keys.find((k) => name.includes(k.toLowerCase()));
    const price = key === undefined ? undefined : sheet.gpuPerDeviceHourByModel[key];
    if (price) return price;
  }
  return sheet.gpuPerDeviceHourDefault;
}
