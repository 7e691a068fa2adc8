import type { ReactNode } from 'react';
import { StatTile } from '@/components/charts/chart-stat';
import { formatMoney } from '@/lib/format';
import type { MoneyTotals } from '@/server/db/billing-explorer';

/** BilledCost vs EffectiveCost vs ListCost per currency; savings = ListCost − EffectiveCost (exact strings). */
export function BillingTotals({ totals }: { totals: readonly MoneyTotals[] }): ReactNode {
  return (
    <div className="stack" data-testid="billing-totals">
      {totals.map((t) => (
        <div key={t.currency} className="kpi-grid" data-currency={t.currency}>
          <StatTile
            label={`Billed cost (${t.currency})`}
            value={formatMoney(t.billedCost, t.currency)}
            sub="what the invoice says"
            testId={`total-billed-${t.currency}`}
            title={t.billedCost}
          />
          <StatTile
            label={`Effective cost (${t.currency})`}
            value={formatMoney(t.effectiveCost, t.currency)}
            sub="with commitments amortised"
            testId={`total-effective-${t.currency}`}
            title={t.effectiveCost}
          />
          <StatTile
            label={`List cost (${t.currency})`}
            value={formatMoney(t.listCost, t.currency)}
            sub="at public prices"
            testId={`total-list-${t.currency}`}
            title={t.listCost}
          />
          <StatTile
            label="Savings from commitments"
            value={formatMoney(t.savings, t.currency)}
            sub="list − effective"
            testId={`total-savings-${t.currency}`}
            title={t.savings}
          />
        </div>
      ))}
    </div>
  );
}
