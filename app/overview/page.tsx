import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { HealthPanel } from '@/components/health/health-panel';
import { PageHeader } from '@/components/shell/page-header';
import { readDashboardParams, searchParamsOf } from '@/lib/dashboard-params';
import { HydratePage } from '@/server/trpc/prefetch';
import { OverviewClient } from './overview-client';
import { prefetchOverview } from './prefetch';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}): Promise<ReactNode> {
  const params = readDashboardParams(searchParamsOf(await searchParams));
  return (
    <>
      <PageHeader href="/overview" />
      <HydratePage ready={prefetchOverview(params)}>
        <OverviewClient />
      </HydratePage>
      <h2 className="section-title">Upstreams</h2>
      <HealthPanel />
    </>
  );
}
