import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { HealthPanel } from '@/components/health/health-panel';
import { PageHeader } from '@/components/shell/page-header';
import { OverviewClient } from './overview-client';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage(): ReactNode {
  return (
    <>
      <PageHeader href="/overview" />
      <OverviewClient />
      <h2 className="section-title">Upstreams</h2>
      <HealthPanel />
    </>
  );
}
