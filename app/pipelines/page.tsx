import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { PipelinesClient } from './pipelines-client';

export const metadata: Metadata = { title: 'Pipelines' };

export default function PipelinesPage(): ReactNode {
  return (
    <>
      <PageHeader href="/pipelines" />
      <PipelinesClient />
    </>
  );
}
