import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { AuditClient } from './audit-client';

export const metadata: Metadata = { title: 'Audit' };

export default function AuditPage(): ReactNode {
  return (
    <>
      <PageHeader href="/audit" />
      <AuditClient />
    </>
  );
}
