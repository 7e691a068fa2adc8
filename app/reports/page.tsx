import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Reports' };

export default function ReportsPage(): ReactNode {
  return (
    <>
      <PageHeader href="/reports" />
      <NotAvailableYet feature="Monthly management cost reports" plannedIn="a reports issue after issue 8" />
    </>
  );
}
