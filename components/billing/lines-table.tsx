'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ErrorState, LoadingState } from '@/components/states';
import { formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc/client';
import type { BillingFilters } from '@/server/db/billing-explorer';

const PAGE_SIZE = 50;

/** Billing lines under the filters, newest first, a page at a time (keyset cursors; Previous keeps a stack). */
export function LinesTable({ filters }: { filters: BillingFilters }): ReactNode {
  const trpc = useTRPC();
  const filterKey = JSON.stringify(filters);
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({
    key: filterKey,
    cursors: [null],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const cursor = cursors.at(-1) ?? null;
  const page = useQuery(
    trpc.billing.lines.queryOptions({ filters, cursor, limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );
  const nextCursor = page.data?.nextCursor ?? null;
  return (
    <section className="card stack" aria-label="Billing lines">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', justifyContent: 'space-between' }}>
        <h2 className="small muted">
          Lines (page {cursors.length}, {PAGE_SIZE} per page)
        </h2>
        <div style={{ display: 'flex', gap: 8 }}>
          <button
            type="button"
            className="button"
            disabled={cursors.length <= 1}
            onClick={() => setPaging({ key: filterKey, cursors: cursors.slice(0, -1) })}
          >
            Previous page
          </button>
          <button
            type="button"
            className="button"
            disabled={nextCursor === null}
            onClick={() => setPaging({ key: filterKey, cursors: [...cursors, nextCursor] })}
          >
            Next page
          </button>
        </div>
      </div>
      {page.isPending ? <LoadingState label="Loading lines…" /> : null}
      {page.error ? (
        <ErrorState
          title="The billing lines could not be read"
          message={page.error.message}
          onRetry={() => void page.refetch()}
        />
      ) : null}
      {page.data ? (
        // Scrollable and focusable, so the keyboard can scroll it (arrows, Page Up/Down).
        <div
          tabIndex={0}
          role="region"
          aria-label="Billing lines, scrollable"
          style={{ maxHeight: 420, overflow: 'auto' }}
        >
          <table className="table" aria-label="Billing lines table">
            <thead style={{ position: 'sticky', top: 0, background: 'var(--surface)' }}>
              <tr>
                <th>Charge start</th>
                <th>Provider</th>
                <th>Account</th>
                <th>Sub-account</th>
                <th>Service</th>
                <th>Region</th>
                <th>Category</th>
                <th>Resource</th>
                <th className="num">Billed</th>
                <th className="num">Effective</th>
                <th className="num">List</th>
              </tr>
            </thead>
            <tbody>
              {page.data.lines.map((line) => (
                <tr key={`${line.importId}:${line.lineNumber}`}>
                  <td className="small">{line.chargePeriodStart.replace('T', ' ').slice(0, 16)}</td>
                  <td>{line.providerName}</td>
                  <td className="small">{line.billingAccountId}</td>
                  <td className="small">{line.subAccountId ?? ''}</td>
                  <td>{line.serviceName}</td>
                  <td className="small">{line.regionId ?? ''}</td>
                  <td className="small">{line.chargeCategory}</td>
                  <td
                    className="small"
                    style={{ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                    title={line.resourceId ?? ''}
                  >
                    {line.resourceId ?? ''}
                  </td>
                  <td className="num" title={line.billedCost}>
                    {formatMoney(line.billedCost, line.billingCurrency)}
                  </td>
                  <td className="num" title={line.effectiveCost}>
                    {formatMoney(line.effectiveCost, line.billingCurrency)}
                  </td>
                  <td className="num" title={line.listCost}>
                    {formatMoney(line.listCost, line.billingCurrency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
