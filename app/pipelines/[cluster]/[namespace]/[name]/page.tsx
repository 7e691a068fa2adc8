import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { RunClient } from './run-client';

interface Params {
  cluster: string;
  namespace: string;
  name: string;
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Run ${decodeURIComponent(name)}` };
}

export default async function RunPage({ params }: { params: Promise<Params> }): Promise<ReactNode> {
  const { cluster, namespace, name } = await params;
  return (
    <RunClient
      cluster={decodeURIComponent(cluster)}
      namespace={decodeURIComponent(namespace)}
      name={decodeURIComponent(name)}
    />
  );
}
