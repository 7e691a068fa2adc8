import type { ReactNode } from 'react';
import { formatMoney } from '@/lib/format';
import type { BillingExplorerResult } from '@/server/db/billing-explorer';

export function GroupTable({ groups, label }: { groups: BillingExplorerResult['groups']; label: string }): ReactNode {
  return (
    <table className="table" aria-label="Costs by group">
      <thead>
        <tr>
          <th>{label}</th>
          <th>Currency</th>
          <th className="num">Billed</th>
          <th className="num">Effective</th>
          <th className="num">List</th>
          <th className="num">Savings</th>
          <th className="num">Lines</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={`${g.group}\u0000${g.currency}`} data-group={g.group}>
            <td>{g.group === '' ? <span className="muted">(none)</span> : g.group}</td>
            <td>{g.currency}</td>
            <td className="num" data-testid="group-billed" title={g.billedCost}>
              {formatMoney(g.billedCost, g.currency)}
            </td>
            <td className="num" title={g.effectiveCost}>
              {formatMoney(g.effectiveCost, g.currency)}
            </td>
            <td className="num" title={g.listCost}>
              {formatMoney(g.listCost, g.currency)}
            </td>
            <td className="num" title={g.savings}>
              {formatMoney(g.savings, g.currency)}
            </td>
            <td className="num">{g.lineCount.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
