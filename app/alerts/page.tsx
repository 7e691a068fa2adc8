import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage(): ReactNode {
  return (
    <>
      <PageHeader href="/alerts" />
      <NotAvailableYet feature="Alert drill-downs" plannedIn="an alerts issue after issue 4" />
    </>
  );
}
