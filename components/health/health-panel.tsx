'use client';

import { useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import type { ReactNode } from 'react';
import { ErrorState, LoadingState } from '@/components/states';
import { useTRPC } from '@/lib/trpc/client';

/** Every upstream's check, pushed live by the server when one changes status. */
export function HealthPanel(): ReactNode {
  const trpc = useTRPC();
  const initial = useQuery(trpc.system.health.queryOptions());
  const live = useSubscription(trpc.system.healthChanges.subscriptionOptions(undefined));
  const report = live.data?.data ?? initial.data;

  if (!report) {
    if (initial.isError) {
      return (
        <ErrorState
          title="Health unavailable"
          message={initial.error.message}
          action="Check that the Burnrate server is running."
          onRetry={() => void initial.refetch()}
        />
      );
    }
    return <LoadingState label="Checking data sources…" />;
  }
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">Data sources</h2>
      <table className="table" data-testid="health-table">
        <thead>
          <tr>
            <th scope="col">Upstream</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(report.checks).map(([name, check]) => (
            <tr key={name}>
              <td>{name}</td>
              <td>
                <span className={`badge ${check.status === 'ok' ? 'ok' : 'bad'}`}>{check.status}</span>
              </td>
              <td className="num">{check.latencyMs} ms</td>
              <td className="muted">{check.error ?? check.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Checked {new Date(report.checkedAt).toISOString().slice(11, 19)} UTC · updates live</p>
    </section>
  );
}
