import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '@/components/panels/panels.css';
import { PageHeader } from '@/components/shell/page-header';
import { readDashboardParams, searchParamsOf } from '@/lib/dashboard-params';
import { HydratePage } from '@/server/trpc/prefetch';
import { CostClient } from './cost-client';
import { costDimensionOf } from './cost-params';
import { prefetchCost } from './prefetch';

export const metadata: Metadata = { title: 'Cost' };

export default async function CostPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}): Promise<ReactNode> {
  const params = searchParamsOf(await searchParams);
  return (
    <>
      <PageHeader href="/cost" />
      <HydratePage ready={prefetchCost(readDashboardParams(params), costDimensionOf(params))}>
        <CostClient />
      </HydratePage>
    </>
  );
}
