import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Serving' };

export default function ServingPage(): ReactNode {
  return (
    <>
      <PageHeader href="/serving" />
      <NotAvailableYet feature="Deployments, Knative services, rollouts and pods" plannedIn="issue 6" />
    </>
  );
}
