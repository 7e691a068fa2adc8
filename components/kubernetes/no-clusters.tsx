import type { ReactNode } from 'react';
import { EmptyState } from '@/components/states';

export function NoClusters(): ReactNode {
  return (
    <EmptyState title="No Kubernetes clusters configured">
      Burnrate reads its clusters from the contexts of the kubeconfig in <code>KUBECONFIG</code>. Point it at a
      kubeconfig (the demo writes one to <code>.burnrate/demo/kubeconfig</code>) and restart the app.
    </EmptyState>
  );
}
