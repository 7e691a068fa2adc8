import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { HealthPanel } from '@/components/health/health-panel';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage(): ReactNode {
  return (
    <>
      <PageHeader href="/settings" />
      <div className="grid">
        <HealthPanel />
        <NotAvailableYet feature="Prices, PUE, grid intensity, budgets and roles" plannedIn="issues 5, 7 and 8" />
      </div>
    </>
  );
}
