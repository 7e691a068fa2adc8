// Unit cost of a serving workload over a window: per request, per 1,000 requests, per 1M tokens,
// with and without its share of idle. Nothing served → null, never Infinity.
import Decimal from 'decimal.js';
import { checkQuantity, roundMoney } from './money';

export interface UnitCostInput {
  /** The workload's cost over the window (its own cost, plus its shared share if the caller spreads shared costs). */
  cost: Decimal;
  /** Its share of idle over the window (see idleShareOf when idle is kept as a row). */
  idleShare: Decimal;
  requests: number;
  /** Null for servers that do not count tokens. */
  promptTokens: number | null;
  generatedTokens: number | null;
}

export interface UnitCosts {
  perRequest: Decimal | null;
  per1kRequests: Decimal | null;
  /** Cost ÷ (prompt + generated tokens) × 1e6. */
  per1MTokens: Decimal | null;
  /** The whole cost ÷ prompt tokens × 1e6 (what 1M prompt tokens cost if they carried it all); not additive. */
  per1MPromptTokens: Decimal | null;
  /** The whole cost ÷ generated tokens × 1e6; not additive with the prompt figure. */
  per1MGeneratedTokens: Decimal | null;
}

/** `cost` × `per` ÷ `count`, or null when nothing was counted. */
function per(cost: Decimal, count: number | null, perUnits: number): Decimal | null {
  if (count === null || count === 0) return null;
  return roundMoney(cost.times(perUnits).dividedBy(count));
}

function unitCostsOf(cost: Decimal, input: UnitCostInput): UnitCosts {
  const { requests, promptTokens, generatedTokens } = input;
  const tokens =
    promptTokens === null && generatedTokens === null ? null : (promptTokens ?? 0) + (generatedTokens ?? 0);
  return {
    perRequest: per(cost, requests, 1),
    per1kRequests: per(cost, requests, 1_000),
    per1MTokens: per(cost, tokens, 1_000_000),
    per1MPromptTokens: per(cost, promptTokens, 1_000_000),
    per1MGeneratedTokens: per(cost, generatedTokens, 1_000_000),
  };
}

export function unitCosts(input: UnitCostInput): { withoutIdle: UnitCosts; withIdle: UnitCosts } {
  checkQuantity('requests', input.requests);
  if (input.promptTokens !== null) checkQuantity('promptTokens', input.promptTokens);
  if (input.generatedTokens !== null) checkQuantity('generatedTokens', input.generatedTokens);
  return {
    withoutIdle: unitCostsOf(input.cost, input),
    withIdle: unitCostsOf(input.cost.plus(input.idleShare), input),
  };
}

/** A workload's share of an idle row: idle × its cost ÷ all workloads' cost (zero when they cost nothing). */
export function idleShareOf(workloadCost: Decimal, allWorkloadsCost: Decimal, idle: Decimal): Decimal {
  return allWorkloadsCost.isZero() ? new Decimal(0) : roundMoney(idle.times(workloadCost).dividedBy(allWorkloadsCost));
}
