import 'server-only';
import Decimal from 'decimal.js';
import type { Db } from '@/server/db/client';
import { nodeCostSums, servingUsageSums, type CostReadWindow, type ServingUsageSums } from '@/server/db/cost-read';
import type { SharedCostOptions } from './model/shared';
import { idleShareOf, unitCosts, type UnitCosts } from './model/unit-cost';
import { costSummary, type CostGroupRow, type CostSource } from './queries';

// Unit cost of every serving workload of a window: its cost (own, plus its shared share when shared
// costs are spread) ÷ what it served, with and without its share of idle (model/unit-cost.ts).

export interface UnitCostFigures {
  perRequest: string | null;
  per1kRequests: string | null;
  per1MTokens: string | null;
  per1MPromptTokens: string | null;
  per1MGeneratedTokens: string | null;
}

/** A serving workload's usage over the window (servers: where its requests were counted) and its unit costs. */
export interface ServingUnitCost extends ServingUsageSums {
  key: string;
  cost: string;
  idleShare: string;
  withoutIdle: UnitCostFigures;
  withIdle: UnitCostFigures;
  sources: CostSource[];
  estimate: boolean;
}

const text = (value: Decimal | null): string | null => (value === null ? null : value.toFixed());

function figures(costs: UnitCosts): UnitCostFigures {
  return {
    perRequest: text(costs.perRequest),
    per1kRequests: text(costs.per1kRequests),
    per1MTokens: text(costs.per1MTokens),
    per1MPromptTokens: text(costs.per1MPromptTokens),
    per1MGeneratedTokens: text(costs.per1MGeneratedTokens),
  };
}

/** The idle of each cluster and Σ of its workloads' own cost, for idle shares when idle is its own row. */
function idleBasis(groups: readonly CostGroupRow[], idleByCluster: ReadonlyMap<string, Decimal>) {
  const workloadCost = new Map<string, Decimal>();
  for (const g of groups) {
    if (g.kind !== 'workload' || !g.keys.cluster) continue;
    workloadCost.set(g.keys.cluster, (workloadCost.get(g.keys.cluster) ?? new Decimal(0)).plus(g.ownCost));
  }
  return (cluster: string, ownCost: Decimal): Decimal =>
    idleShareOf(ownCost, workloadCost.get(cluster) ?? new Decimal(0), idleByCluster.get(cluster) ?? new Decimal(0));
}

/**
 * `workloadGroups`: the window's groups by workload (costSummary with by = workload); `idleByCluster`:
 * each cluster's idle over the window, used when idle is kept as a row.
 */
export async function servingUnitCosts(
  db: Db,
  window: CostReadWindow,
  workloadGroups: readonly CostGroupRow[],
  idleByCluster: ReadonlyMap<string, Decimal>,
  options: SharedCostOptions,
): Promise<ServingUnitCost[]> {
  const usage = await servingUsageSums(db, window);
  const groups = new Map(workloadGroups.map((g) => [g.key, g]));
  const idleShareOfRow = idleBasis(workloadGroups, idleByCluster);
  const rows: ServingUnitCost[] = [];
  for (const u of usage) {
    const key = `${u.cluster}/${u.namespace}/${u.workloadKind}/${u.workloadName}`;
    const group = groups.get(key);
    if (!group) continue;
    const cost = new Decimal(group.ownCost).plus(group.sharedShare);
    const idleShare =
      options.idle === 'spread' ? new Decimal(group.idleShare) : idleShareOfRow(u.cluster, new Decimal(group.ownCost));
    const unit = unitCosts({
      cost,
      idleShare,
      requests: u.requests,
      promptTokens: u.promptTokens,
      generatedTokens: u.generatedTokens,
    });
    rows.push({
      ...u,
      key,
      cost: cost.toFixed(),
      idleShare: idleShare.toFixed(),
      withoutIdle: figures(unit.withoutIdle),
      withIdle: figures(unit.withIdle),
      sources: group.sources,
      estimate: group.estimate,
    });
  }
  return rows.sort((a, b) => new Decimal(b.cost).comparedTo(a.cost) || a.key.localeCompare(b.key));
}

/** The unit costs of the window's serving workloads, from the allocation by workload and each cluster's idle. */
export async function servingUnitCostsOf(
  db: Db,
  window: CostReadWindow,
  options: SharedCostOptions,
): Promise<ServingUnitCost[]> {
  const [summary, nodes] = await Promise.all([
    costSummary(db, { ...window, by: 'workload' }, options),
    nodeCostSums(db, window),
  ]);
  const idle = new Map<string, Decimal>();
  for (const n of nodes) {
    const own = new Decimal(n.idleCpu).plus(n.idleMemory).plus(n.idleGpuReserved);
    idle.set(n.cluster, (idle.get(n.cluster) ?? new Decimal(0)).plus(own));
  }
  return servingUnitCosts(db, window, summary.groups, idle, options);
}
