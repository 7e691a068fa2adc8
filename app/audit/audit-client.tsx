'use client';

import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useTRPC } from '@/lib/trpc/client';

const results = ['succeeded', 'failed', 'denied', 'allowed'] as const;
type Result = (typeof results)[number];

const badge: Record<Result, string> = {
  succeeded: 'var(--good, green)',
  failed: 'var(--bad, red)',
  denied: 'var(--warn, orange)',
  allowed: 'var(--muted)',
};

export function AuditClient(): ReactNode {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [verb, setVerb] = useState('');
  const [result, setResult] = useState<Result | ''>('');
  const filter = { search: search || undefined, verb: verb || undefined, results: result ? [result] : undefined };
  const list = useQuery(trpc.audit.list.queryOptions({ filter, limit: 200 }, { refetchInterval: 5000 }));
  const csvQuery = new URLSearchParams(Object.entries({ search, verb, results: result }).filter(([, v]) => v));
  return (
    <div className="stack">
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <label className="field">
          <span className="field-label">Search</span>
          <input
            className="input"
            aria-label="Search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="who, workload, message…"
          />
        </label>
        <label className="field">
          <span className="field-label">Action</span>
          <select className="input" aria-label="Action" value={verb} onChange={(e) => setVerb(e.target.value)}>
            <option value="">all</option>
            {[
              'scale',
              'restart',
              'set-image',
              'rollback',
              'pause',
              'resume',
              'knative-scale',
              'set-replica-bounds',
            ].map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Result</span>
          <select
            className="input"
            aria-label="Result"
            value={result}
            onChange={(e) => setResult(e.target.value as Result | '')}
          >
            <option value="">all</option>
            {results.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <a className="button" href={`/api/audit.csv?${csvQuery.toString()}`} download>
          Export CSV
        </a>
      </div>
      {list.isPending ? <LoadingState label="Loading the audit log…" /> : null}
      {list.error ? (
        <ErrorState
          title="The audit log could not be read"
          message={list.error.message}
          onRetry={() => void list.refetch()}
        />
      ) : null}
      {list.data && list.data.length === 0 ? (
        <EmptyState title="No action matches">Actions taken through Burnrate appear here.</EmptyState>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <div className="scroll-x">
          <table className="table audit-table" aria-label="Audit log">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Workload</th>
                <th>Parameters</th>
                <th>Result</th>
                <th className="num">Status</th>
                <th className="num">ms</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((entry) => (
                <tr key={entry.id}>
                  <td className="small">{new Date(entry.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>
                    {entry.actor} <span className="muted small">{entry.role}</span>
                  </td>
                  <td>{entry.verb}</td>
                  <td className="small">
                    {[entry.cluster, entry.namespace, entry.target].filter(Boolean).join(' / ')}
                  </td>
                  <td className="small">
                    <code>{JSON.stringify(entry.parameters)}</code>
                  </td>
                  <td>
                    <span className="badge" style={{ color: badge[entry.result] }}>
                      {entry.result}
                    </span>
                  </td>
                  <td className="num">{entry.statusCode ?? ''}</td>
                  <td className="num">{entry.durationMs ?? ''}</td>
                  <td className="small">{entry.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
