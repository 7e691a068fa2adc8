import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'Energy' };

export default function EnergyPage(): ReactNode {
  return (
    <>
      <PageHeader href="/energy" />
      <NotAvailableYet feature="Energy and CO2e per workload" plannedIn="an energy issue after issue 5" />
    </>
  );
}
