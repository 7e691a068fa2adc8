import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { HealthPanel } from '@/components/health/health-panel';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage(): ReactNode {
  return (
    <>
      <PageHeader href="/overview" />
      <div className="grid">
        <NotAvailableYet feature="Cluster KPIs (GPU utilisation, requests/s, p95 latency, cost and energy per hour)" plannedIn="issue 5" />
        <HealthPanel />
      </div>
    </>
  );
}
