import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Cost' };

export default function CostPage(): ReactNode {
  return (
    <>
      <PageHeader href="/cost" />
      <NotAvailableYet
        feature="Cost allocation, cost per request and per 1M tokens"
        plannedIn="a cost issue after issue 8"
      />
    </>
  );
}
