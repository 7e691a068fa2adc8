import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Billing' };

export default function BillingPage(): ReactNode {
  return (
    <>
      <PageHeader href="/billing" />
      <NotAvailableYet feature="Billing explorer" plannedIn="issue 8" />
    </>
  );
}
