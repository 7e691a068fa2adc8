import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { GpusClient } from './gpus-client';

export const metadata: Metadata = { title: 'GPUs' };

export default function GpusPage(): ReactNode {
  return (
    <>
      <PageHeader href="/gpus" actions={<Link className="button ghost" href="/settings/data-sources">Data sources</Link>} />
      <GpusClient />
    </>
  );
}
