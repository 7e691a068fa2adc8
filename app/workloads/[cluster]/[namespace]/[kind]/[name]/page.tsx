import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { z } from 'zod';
import { WorkloadActions } from '@/components/actions/workload-actions';
import { WorkloadView } from '@/components/kubernetes/workload-view';
import { WorkloadMetrics } from '@/components/workload-metrics/workload-metrics';
import { readDashboardParams, searchParamsOf } from '@/lib/dashboard-params';
import { HydratePage } from '@/server/trpc/prefetch';
import { prefetchWorkload } from './prefetch';

interface Params {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
}

const kindLabels = { Deployment: 'Deployment', KnativeService: 'Knative Service' } as const;
const kindSchema = z.enum(['Deployment', 'KnativeService']);

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

export default async function WorkloadPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}): Promise<ReactNode> {
  const raw = await params;
  const kind = kindSchema.safeParse(decodeURIComponent(raw.kind));
  if (!kind.success) notFound();
  const identity = {
    cluster: decodeURIComponent(raw.cluster),
    namespace: decodeURIComponent(raw.namespace),
    kind: kind.data,
    name: decodeURIComponent(raw.name),
  };
  return (
    <>
      <header className="page-header">
        <div>
          <p className="small">
            <Link href="/serving">Serving</Link> / {identity.cluster} / {identity.namespace} /{' '}
            {kindLabels[identity.kind]}
          </p>
          <h1>{identity.name}</h1>
        </div>
      </header>
      <HydratePage ready={prefetchWorkload(identity, readDashboardParams(searchParamsOf(await searchParams)))}>
        <WorkloadView
          identity={identity}
          actions={<WorkloadActions workload={identity} />}
          metrics={<WorkloadMetrics identity={identity} />}
        />
      </HydratePage>
    </>
  );
}
