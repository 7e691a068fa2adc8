'use client';

import { useTRPC } from '@/lib/trpc/client';
import { useDashboardParams } from '@/lib/url-state';
import type { NowPanelResponse, NowValue } from '@/server/metrics/types';
import { usePanelData, type PanelData } from './use-panel-data';

/** A panel's figures now for the page's cluster: the range is not part of the question. */
export function useNowPanel(panel: string): PanelData<NowPanelResponse> {
  const trpc = useTRPC();
  const { cluster } = useDashboardParams();
  return usePanelData(trpc.metrics.now.queryOptions({ panel, cluster }));
}

export function nowValue(answer: NowPanelResponse | undefined, queryId: string): number | null | undefined {
  if (answer?.status !== 'ok') return undefined;
  return answer.values.find((v) => v.queryId === queryId)?.value ?? null;
}

export function nowValuesOf(answer: NowPanelResponse | undefined, queryId: string): NowValue[] {
  return answer?.status === 'ok' ? answer.values.filter((v) => v.queryId === queryId) : [];
}
