import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { DataSourcesClient } from './data-sources-client';

export const metadata: Metadata = { title: 'Data sources' };

export default function DataSourcesPage(): ReactNode {
  return (
    <>
      <header className="page-header">
        <div>
          <p className="muted small">
            <Link href="/settings">Settings</Link> /
          </p>
          <h1>Data sources</h1>
          <p className="muted">
            Which exporters publish to Prometheus, per cluster, with the exact metric names found, and which one each
            figure uses.
          </p>
        </div>
      </header>
      <DataSourcesClient />
    </>
  );
}
