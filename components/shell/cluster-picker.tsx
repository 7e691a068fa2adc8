'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTRPC } from '@/lib/trpc/client';
import { ALL_CLUSTERS, useDashboardParams } from '@/lib/url-state';

export function ClusterPicker(): ReactNode {
  const trpc = useTRPC();
  const { cluster, update } = useDashboardParams();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const names = clusters.data?.map((c) => c.name) ?? [];
  const unknown = cluster !== ALL_CLUSTERS && clusters.isSuccess && !names.includes(cluster);
  return (
    <label className="field">
      <span className="field-label">Cluster</span>
      <select
        value={cluster}
        onChange={(event) => update({ cluster: event.target.value })}
        aria-invalid={unknown || undefined}
        title={clusters.isError ? `Cluster list unavailable: ${clusters.error.message}` : undefined}
      >
        <option value={ALL_CLUSTERS}>All clusters{clusters.isSuccess ? ` (${names.length})` : ''}</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
        {unknown ? <option value={cluster}>{cluster} (unknown)</option> : null}
      </select>
    </label>
  );
}
