import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ExploreClient } from './explore-client';

export const metadata: Metadata = { title: 'Explore PromQL' };

export default function ExplorePage(): ReactNode {
  return (
    <>
      <header className="page-header">
        <div>
          <p className="muted small">
            <Link href="/settings">Settings</Link> /
          </p>
          <h1>Explore PromQL</h1>
          <p className="muted">
            An admin’s ad-hoc query over the page’s time range, with the same step, downsampling and series cap as every
            panel. Each run is recorded in the audit log.
          </p>
        </div>
      </header>
      <ExploreClient />
    </>
  );
}
