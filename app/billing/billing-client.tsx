'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { BillingFilters, dimensionLabel } from '@/components/billing/billing-filters';
import { BillingSeriesChart } from '@/components/billing/billing-series-chart';
import { BillingTotals } from '@/components/billing/billing-totals';
import { GroupTable } from '@/components/billing/group-table';
import { ImportsPanel } from '@/components/billing/imports-panel';
import { LinesTable } from '@/components/billing/lines-table';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useTRPC } from '@/lib/trpc/client';
import { billingFiltersOf, readBillingView, writeBillingView, type BillingView } from './search-params';

const TOP_GROUPS = 8;

function NothingImported({ watchDirConfigured }: { watchDirConfigured: boolean }): ReactNode {
  return (
    <EmptyState title="No billing data imported yet">
      <p>Burnrate reads your cloud bills as FOCUS exports (FOCUS 1.0 to 1.3, CSV, CSV.gz or Parquet). Bring one in:</p>
      <ul>
        <li>upload a file in the Imports panel below (admins);</li>
        <li>
          from a shell or a cron job: <code>npm run burnrate -- import &lt;file or folder&gt;</code> (
          <code>DATABASE_URL</code> selects the database);
        </li>
        <li>
          or drop exports into the watched folder (<code>BURNRATE_BILLING_WATCH_DIR</code> or the{' '}
          <code>billing.watchDir</code> setting){watchDirConfigured ? ', which this server is watching' : ''}.
        </li>
      </ul>
    </EmptyState>
  );
}

const noSubscription = (): (() => void) => () => undefined;

/** The explorer renders in the browser only: its state is the URL, the clock and the role, none of them settled at SSR time. */
export function BillingClient(props: { tagKeys: readonly string[]; watchDirConfigured: boolean }): ReactNode {
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return inBrowser ? <BillingExplorer {...props} /> : <LoadingState label="Loading the billing explorer…" />;
}

function BillingExplorer({
  tagKeys,
  watchDirConfigured,
}: {
  tagKeys: readonly string[];
  watchDirConfigured: boolean;
}): ReactNode {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  // Presets are relative to when the page opened: a view does not drift while someone reads it.
  const [openedMs] = useState(() => Date.now());
  const view = useMemo(
    () => readBillingView(new URLSearchParams(searchParams.toString()), openedMs),
    [searchParams, openedMs],
  );
  const filters = useMemo(() => billingFiltersOf(view), [view]);
  const update = (next: BillingView): void =>
    router.push(`${pathname}?${writeBillingView(next).toString()}`, { scroll: false });

  const auth = useQuery(trpc.auth.status.queryOptions());
  const imports = useQuery(trpc.billing.imports.queryOptions({ limit: 50 }, { refetchInterval: 5000 }));
  const explorer = useQuery(
    trpc.billing.explorer.queryOptions({
      filters,
      groupBy: view.groupBy as never,
      granularity: view.granularity,
      topGroups: TOP_GROUPS,
    }),
  );
  const options = useQuery(
    trpc.billing.filterOptions.queryOptions({ from: view.from, to: view.to }, { staleTime: 60_000 }),
  );

  const role = auth.data?.user?.role;
  const canUpload = role === 'admin';
  const reason = role
    ? `Uploading bills needs the admin role; you are ${role}.`
    : 'Sign in as an admin to upload bills.';
  const pinned = writeBillingView({ ...view, preset: 'custom' }).toString();
  const nothingImported = imports.data !== undefined && imports.data.imports.length === 0;
  const currency = explorer.data?.totals[0]?.currency;

  return (
    <div className="stack">
      {nothingImported ? <NothingImported watchDirConfigured={watchDirConfigured} /> : null}
      <section className="card stack" aria-label="Billing explorer">
        <BillingFilters view={view} options={options.data ?? {}} tagKeys={tagKeys} onChange={update} />
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <a className="button" href={`/api/billing/export?kind=view&${pinned}`} download data-testid="export-view">
            Export this view (CSV)
          </a>
          <a className="button" href={`/api/billing/export?kind=lines&${pinned}`} download data-testid="export-lines">
            Export lines (CSV)
          </a>
        </div>
      </section>
      {explorer.isPending ? <LoadingState label="Summing the bill…" /> : null}
      {explorer.error ? (
        <ErrorState
          title="The billing explorer could not answer"
          message={explorer.error.message}
          where={explorer.error.data?.where ?? undefined}
          action="Check the filters, then try again."
          onRetry={() => void explorer.refetch()}
        />
      ) : null}
      {explorer.data && explorer.data.totals.length === 0 && !nothingImported ? (
        <EmptyState title="No charges in this period under these filters">
          Widen the period (try “All time”) or clear a filter.
        </EmptyState>
      ) : null}
      {explorer.data && currency ? (
        <>
          <BillingTotals totals={explorer.data.totals} />
          <BillingSeriesChart result={explorer.data} currency={currency} from={view.from} to={view.to} />
          {view.groupBy ? (
            <section className="card" aria-label="Groups">
              <GroupTable groups={explorer.data.groups} label={dimensionLabel(view.groupBy)} />
            </section>
          ) : null}
          <LinesTable filters={filters} />
        </>
      ) : null}
      <ImportsPanel canUpload={canUpload} reason={reason} />
    </div>
  );
}
