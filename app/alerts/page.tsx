import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AlertHistory } from '@/components/alerts/alert-history';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage(): ReactNode {
  return (
    <>
      <PageHeader href="/alerts" />
      <div className="stack">
        <AlertHistory />
        <NotAvailableYet
          feature="Drill-downs (what changed, what it costs, fix it from here)"
          plannedIn="a later alerts issue"
        />
      </div>
    </>
  );
}
