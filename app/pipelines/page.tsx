import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Pipelines' };

export default function PipelinesPage(): ReactNode {
  return (
    <>
      <PageHeader href="/pipelines" />
      <NotAvailableYet feature="Pipeline runs and their DAGs" plannedIn="issue 6" />
    </>
  );
}
