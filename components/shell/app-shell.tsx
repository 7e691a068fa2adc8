import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { LoadingState } from '@/components/states';
import { SideNav } from './side-nav';
import { TopBar } from './top-bar';

export function AppShell({ children }: { children: ReactNode }): ReactNode {
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/overview" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◢
          </span>{' '}
          Burnrate
        </Link>
        <Suspense fallback={null}>
          <SideNav />
        </Suspense>
      </aside>
      <div className="main-column">
        <Suspense fallback={<div className="top-bar" />}>
          <TopBar />
        </Suspense>
        <main className="content" id="content">
          <Suspense fallback={<LoadingState />}>{children}</Suspense>
        </main>
      </div>
    </div>
  );
}
