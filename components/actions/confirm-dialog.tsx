'use client';

import { useEffect, useRef, type ReactNode } from 'react';

export interface DiffLine {
  path: string;
  before: unknown;
  after: unknown;
}

const show = (value: unknown): string =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

/** The dry run's answer, what it costs, and one Confirm that stays disabled once pressed. */
export function ConfirmDialog({
  title,
  diff,
  costImpactUsdPerHour,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  diff: DiffLine[];
  costImpactUsdPerHour: string | null;
  pending: boolean;
  error?: string;
  onConfirm: () => void;
  onCancel: () => void;
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="card"
      aria-label={title}
      onCancel={onCancel}
      style={{ minWidth: 480, color: 'var(--text)' }}
    >
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <p className="muted small">Server-side dry run: this is what Kubernetes says will change.</p>
      {diff.length === 0 ? (
        <p>Nothing would change.</p>
      ) : (
        <table className="table" aria-label="Changes">
          <thead>
            <tr>
              <th>Field</th>
              <th>Now</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((line) => (
              <tr key={line.path}>
                <td>
                  <code>{line.path}</code>
                </td>
                <td>{show(line.before)}</td>
                <td>{show(line.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small">
        Cost impact: {costImpactUsdPerHour === null ? 'not available yet' : `${costImpactUsdPerHour} USD per hour`}
      </p>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button" onClick={onConfirm} disabled={pending} aria-busy={pending}>
          {pending ? 'Applying…' : 'Confirm'}
        </button>
      </div>
    </dialog>
  );
}
