import Link from 'next/link';
import type { ReactNode } from 'react';
import { EmptyState } from '@/components/states';

export default function NotFound(): ReactNode {
  return (
    <EmptyState title="Page not found">
      <p>
        There is no page at this address. <Link href="/overview">Go to the overview</Link>.
      </p>
    </EmptyState>
  );
}
