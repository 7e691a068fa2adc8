import type { Metadata } from 'next';
import { Suspense, type ReactNode } from 'react';
import '@/components/panels/panel-styles';
import { PageHeader } from '@/components/shell/page-header';
import { LoadingState } from '@/components/states';
import { DEFAULT_ROLLUP_TAG_KEYS } from '@/server/billing/import';
import { appConfig } from '@/server/config';
import { BillingClient } from './billing-client';

export const metadata: Metadata = { title: 'Billing' };
export const dynamic = 'force-dynamic';

export default function BillingPage(): ReactNode {
  return (
    <>
      <PageHeader href="/billing" />
      <Suspense fallback={<LoadingState label="Loading the billing explorer…" />}>
        <BillingClient tagKeys={DEFAULT_ROLLUP_TAG_KEYS} watchDirConfigured={Boolean(appConfig().billingWatchDir)} />
      </Suspense>
    </>
  );
}
