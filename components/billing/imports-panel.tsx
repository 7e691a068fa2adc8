'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { formatBytes, formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc/client';
import { ImportsList } from './imports-list';
import { newImportId, uploadBillingFile, type UploadOutcome } from './upload-file';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; fileName: string; loadedBytes: number; totalBytes: number }
  | { kind: 'importing'; fileName: string; importId: string }
  | { kind: 'done'; outcome: UploadOutcome };

function Progress({ label, ratio }: { label: string; ratio: number | null }): ReactNode {
  return (
    <div className="stack" style={{ gap: 4 }}>
      <span className="small">{label}</span>
      <progress aria-label={label} max={1} value={ratio ?? undefined} style={{ width: '100%' }} />
    </div>
  );
}

function ImportingProgress({ importId, fileName }: { importId: string; fileName: string }): ReactNode {
  const trpc = useTRPC();
  const job = useQuery(trpc.billing.importProgress.queryOptions({ id: importId }, { refetchInterval: 500 }));
  const progress = job.data?.progress;
  const ratio = progress && progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : null;
  const label =
    job.data?.state === 'queued'
      ? `${fileName}: waiting for the import before it…`
      : `${fileName}: importing${progress && progress.rowsRead > 0 ? `, ${progress.rowsRead.toLocaleString('en-US')} rows read` : ''}…`;
  return <Progress label={label} ratio={ratio} />;
}

function OutcomeView({ outcome }: { outcome: UploadOutcome }): ReactNode {
  switch (outcome.kind) {
    case 'imported':
      return (
        <div role="status" data-testid="import-outcome" data-outcome="imported">
          <strong>
            {outcome.fileName}: imported {outcome.rowCount.toLocaleString('en-US')} rows
          </strong>{' '}
          in {outcome.durationMs} ms.{' '}
          {Object.entries(outcome.totals).map(([currency, t]) => (
            <span key={currency} className="small">
              Billed {formatMoney(t.billedCost, currency)}, effective {formatMoney(t.effectiveCost, currency)}.{' '}
            </span>
          ))}
        </div>
      );
    case 'already-imported':
      return (
        <div role="status" data-testid="import-outcome" data-outcome="already-imported">
          <strong>{outcome.fileName}: already imported</strong> (same content, on{' '}
          {outcome.importedAt.slice(0, 19).replace('T', ' ')} UTC); nothing changed.
        </div>
      );
    case 'rejected':
      return (
        <div role="alert" data-testid="import-outcome" data-outcome="rejected" className="stack">
          <strong>{outcome.fileName} was rejected; nothing was imported.</strong>
          <span className="small">Fix these lines and upload the file again.</span>
          <table className="table" aria-label="Import errors">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Column</th>
                <th>Value</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {outcome.issues.map((issue, i) => (
                <tr key={i}>
                  <td className="num">{issue.line}</td>
                  <td>{issue.column ?? ''}</td>
                  <td className="small">
                    <code>{issue.value === null ? '' : issue.value.slice(0, 120)}</code>
                  </td>
                  <td>{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'failed':
      return (
        <div role="alert" data-testid="import-outcome" data-outcome="failed">
          <strong>The upload failed:</strong> {outcome.message}
        </div>
      );
  }
}

/** Upload (drag and drop or picker) for admins, progress, the outcome, and past imports. */
export function ImportsPanel({ canUpload, reason }: { canUpload: boolean; reason: string }): ReactNode {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const busy = phase.kind === 'uploading' || phase.kind === 'importing';

  const start = async (file: File): Promise<void> => {
    const importId = newImportId();
    setPhase({ kind: 'uploading', fileName: file.name, loadedBytes: 0, totalBytes: file.size });
    const outcome = await uploadBillingFile(
      file,
      importId,
      (loadedBytes, totalBytes) => setPhase({ kind: 'uploading', fileName: file.name, loadedBytes, totalBytes }),
      () => setPhase({ kind: 'importing', fileName: file.name, importId }),
    );
    setPhase({ kind: 'done', outcome });
    if (outcome.kind === 'imported') await queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
  };

  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && canUpload && !busy) void start(file);
  };

  return (
    <section className="card stack" aria-label="Imports">
      <h2>Imports</h2>
      <div
        data-testid="billing-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          if (canUpload) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        title={canUpload ? undefined : reason}
        style={{
          border: `2px dashed ${dragging ? 'var(--series-1)' : 'var(--border)'}`,
          borderRadius: 'var(--radius)',
          padding: 16,
          display: 'flex',
          gap: 12,
          alignItems: 'center',
          flexWrap: 'wrap',
          opacity: canUpload ? 1 : 0.6,
        }}
      >
        <span>Drop a FOCUS export here (CSV, CSV.gz or Parquet; FOCUS 1.0–1.3), or</span>
        {/* A disabled button gets no hover events in some browsers: the tooltip sits on a wrapper. */}
        <span title={canUpload ? undefined : reason}>
          <button type="button" className="button" disabled={!canUpload || busy} onClick={() => input.current?.click()}>
            Choose a file…
          </button>
        </span>
        <input
          ref={input}
          type="file"
          aria-label="FOCUS file to import"
          accept=".csv,.gz,.parquet,text/csv"
          hidden
          disabled={!canUpload}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void start(file);
          }}
        />
        {canUpload ? null : <span className="small muted">{reason}</span>}
      </div>
      {phase.kind === 'uploading' ? (
        <Progress
          label={`${phase.fileName}: uploading ${formatBytes(phase.loadedBytes)} of ${formatBytes(phase.totalBytes)}`}
          ratio={phase.totalBytes > 0 ? phase.loadedBytes / phase.totalBytes : null}
        />
      ) : null}
      {phase.kind === 'importing' ? <ImportingProgress importId={phase.importId} fileName={phase.fileName} /> : null}
      {phase.kind === 'done' ? <OutcomeView outcome={phase.outcome} /> : null}
      <ImportsList />
    </section>
  );
}
