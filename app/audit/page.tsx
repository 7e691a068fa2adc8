import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Audit' };

export default function AuditPage(): ReactNode {
  return (
    <>
      <PageHeader href="/audit" />
      <NotAvailableYet feature="The audit log of actions" plannedIn="issue 7" />
    </>
  );
}
