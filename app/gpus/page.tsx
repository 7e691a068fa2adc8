import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { NotAvailableYet } from '@/components/states';

export const metadata: Metadata = { title: 'GPUs' };

export default function GpusPage(): ReactNode {
  return (
    <>
      <PageHeader href="/gpus" />
      <NotAvailableYet feature="GPU fleet, per-device and per-workload views" plannedIn="issue 5" />
    </>
  );
}
