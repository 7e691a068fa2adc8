'use client';

import type { ReactNode } from 'react';
import { formatMoney } from '@/lib/format';
import type { CostGroupRow } from '@/server/cost/queries';
import type { ReconcileRow } from '@/server/cost/reconcile-query';
import type { ServingUnitCost } from '@/server/cost/unit-cost-query';
import { ratioPercent, sourceLabel } from './cost-format';

const rowNames: Record<string, string> = {
  __idle__: 'Idle (no pod charged)',
  __shared__: 'Shared (system, cluster fees)',
};

export function CostGroupsTable({
  groups,
  currency,
  label,
}: {
  groups: CostGroupRow[];
  currency: string;
  label: string;
}): ReactNode {
  return (
    <div className="table-scroll">
      <table className="table" data-testid="cost-groups">
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col">Cost</th>
            <th scope="col">Idle share</th>
            <th scope="col">Shared share</th>
            <th scope="col">CPU used ÷ paid</th>
            <th scope="col">GPU used ÷ paid</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.key} data-kind={g.kind}>
              <th scope="row">{rowNames[g.key] ?? g.key}</th>
              <td>{formatMoney(g.cost, currency)}</td>
              <td>{formatMoney(g.idleShare, currency)}</td>
              <td>{formatMoney(g.sharedShare, currency)}</td>
              <td>{ratioPercent(g.efficiency.cpu)}</td>
              <td>{ratioPercent(g.efficiency.gpu)}</td>
              <td>{sourceLabel(g.sources, g.estimate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const tokens = (n: number | null): string =>
  n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const money = (value: string | null, currency: string): string => (value === null ? '—' : formatMoney(value, currency));

export function UnitCostTable({ rows, currency }: { rows: ServingUnitCost[]; currency: string }): ReactNode {
  return (
    <div className="table-scroll">
      <table className="table" data-testid="unit-costs">
        <thead>
          <tr>
            <th scope="col">Workload</th>
            <th scope="col">Counted from</th>
            <th scope="col">Requests</th>
            <th scope="col">Prompt tokens</th>
            <th scope="col">Generated tokens</th>
            <th scope="col">Per 1k requests</th>
            <th scope="col">Per 1M tokens</th>
            <th scope="col">Per 1k requests, with idle</th>
            <th scope="col">Per 1M tokens, with idle</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{`${r.cluster}/${r.namespace}/${r.workloadName}`}</th>
              <td>{r.servers.join(', ')}</td>
              <td>{tokens(r.requests)}</td>
              <td>{tokens(r.promptTokens)}</td>
              <td>{tokens(r.generatedTokens)}</td>
              <td>{money(r.withoutIdle.per1kRequests, currency)}</td>
              <td>{money(r.withoutIdle.per1MTokens, currency)}</td>
              <td>{money(r.withIdle.per1kRequests, currency)}</td>
              <td>{money(r.withIdle.per1MTokens, currency)}</td>
              <td>{sourceLabel(r.sources, r.estimate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReconcileTable({ rows }: { rows: ReconcileRow[] }): ReactNode {
  return (
    <div className="table-scroll">
      <table className="table" data-testid="reconcile">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Cluster</th>
            <th scope="col">Billed (bill)</th>
            <th scope="col">Allocated</th>
            <th scope="col">Idle</th>
            <th scope="col">Shared</th>
            <th scope="col">Gap</th>
            <th scope="col">Gap %</th>
            <th scope="col">Unmatched bill lines</th>
            <th scope="col">Hours allocated / without metrics</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.day}/${r.cluster}`}>
              <th scope="row">{r.day}</th>
              <td>{r.cluster}</td>
              <td>{formatMoney(r.billed, r.currency)}</td>
              <td>{formatMoney(r.allocated, r.currency)}</td>
              <td>{formatMoney(r.idle, r.currency)}</td>
              <td>{formatMoney(r.shared, r.currency)}</td>
              <td>{formatMoney(r.gap, r.currency)}</td>
              <td>{r.gapPercent === null ? '—' : `${r.gapPercent} %`}</td>
              <td>{`${r.unmatchedLines.count} · ${formatMoney(r.unmatchedLines.cost, r.currency)}`}</td>
              <td>{`${r.hoursComputed} / ${r.hoursWithoutMetrics}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
