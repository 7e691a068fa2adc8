import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { readDashboardParams, searchParamsOf } from '@/lib/dashboard-params';
import { HydratePage } from '@/server/trpc/prefetch';
import { GpusClient } from './gpus-client';
import { prefetchGpus } from './prefetch';

export const metadata: Metadata = { title: 'GPUs' };

export default async function GpusPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}): Promise<ReactNode> {
  const params = readDashboardParams(searchParamsOf(await searchParams));
  return (
    <>
      <PageHeader
        href="/gpus"
        actions={
          <Link className="button ghost" href="/settings/data-sources">
            Data sources
          </Link>
        }
      />
      <HydratePage ready={prefetchGpus(params)}>
        <GpusClient />
      </HydratePage>
    </>
  );
}
