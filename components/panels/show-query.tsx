'use client';

import { useState, type ReactNode } from 'react';
import type { PanelQueryInfo } from '@/server/metrics/types';

function rangeText(startMs: number, endMs: number, stepSeconds: number | null): string {
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  return `${iso(startMs)} → ${iso(endMs)} UTC${stepSeconds ? `, step ${stepSeconds} s` : ''}`;
}

function CopyButton({ text }: { text: string }): ReactNode {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = (): void => {
    // Clipboard access can be refused (insecure origin, permissions): say so in the button, not the console.
    const write = navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'));
    write.then(
      () => setCopied('done'),
      () => setCopied('failed'),
    );
  };
  return (
    <button type="button" className="button small-button" onClick={copy}>
      {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
    </button>
  );
}

/** The disclosure every panel has: its PromQL (copyable), the range and step, and Prometheus's graph page. */
export function ShowQuery({
  queries,
  startMs,
  endMs,
  stepSeconds,
}: {
  queries: PanelQueryInfo[];
  startMs: number;
  endMs: number;
  stepSeconds: number | null;
}): ReactNode {
  if (queries.length === 0) return null;
  return (
    <details className="show-query" data-testid="show-query">
      <summary>Show query</summary>
      <p className="muted small">{rangeText(startMs, endMs, stepSeconds)}</p>
      {queries.map((q) => (
        <div key={q.id} className="query-block">
          <div className="query-head">
            <span className="small">{q.label}</span>
            <span className="query-actions">
              <CopyButton text={q.promql} />
              <a className="button small-button" href={q.graphUrl} target="_blank" rel="noreferrer">
                Open in Prometheus
              </a>
            </span>
          </div>
          <pre className="promql" data-testid="promql">
            {q.promql}
          </pre>
        </div>
      ))}
    </details>
  );
}
