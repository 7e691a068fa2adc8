import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { HealthPanel } from '@/components/health/health-panel';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage(): ReactNode {
  return (
    <>
      <PageHeader
        href="/settings"
        actions={
          <>
            <Link className="button" href="/settings/data-sources">
              Data sources: exporters and metrics found
            </Link>
            <Link className="button" href="/settings/explore">
              Explore PromQL (admin)
            </Link>
          </>
        }
      />
      <div className="grid">
        <HealthPanel />
        <NotAvailableYet feature="Prices, PUE, grid intensity, budgets and roles" plannedIn="issues 5, 7 and 8" />
      </div>
    </>
  );
}
