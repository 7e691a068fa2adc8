import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { ServingClient } from './serving-client';

export const metadata: Metadata = { title: 'Serving' };

export default function ServingPage(): ReactNode {
  return (
    <>
      <PageHeader href="/serving" />
      <ServingClient />
    </>
  );
}
