'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { useTRPC } from '@/lib/trpc/client';
import type { Action, ActionPreview, WorkloadRef } from '@/server/actions/types';
import { ConfirmDialog } from './confirm-dialog';
import { ReplicaBoundsEditor } from './replica-bounds-editor';

type Verb = Action['verb'];

function ActionButton({
  label,
  capability,
  onClick,
}: {
  label: string;
  capability: { allowed: boolean; reason?: string } | undefined;
  onClick: () => void;
}): ReactNode {
  const allowed = capability?.allowed === true;
  // A disabled button gets no hover events in some browsers: the tooltip sits on a wrapper.
  return (
    <span title={allowed ? undefined : (capability?.reason ?? 'Checking what you may do…')}>
      <button type="button" className="button" disabled={!allowed} onClick={onClick}>
        {label}
      </button>
    </span>
  );
}

const titles: Record<Verb, string> = {
  scale: 'Scale',
  restart: 'Restart',
  'set-image': 'Deploy image',
  rollback: 'Roll back',
  pause: 'Pause rollout',
  resume: 'Resume rollout',
  'knative-scale': 'Min/max scale',
};

/** Scale, restart, deploy, roll back, pause/resume (and Knative min/max) for one workload, each via dry run and confirm. */
export function WorkloadActions({ workload }: { workload: WorkloadRef }): ReactNode {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.auth.status.queryOptions());
  const capabilities = useQuery(trpc.actions.capabilities.queryOptions(workload, { staleTime: 30_000 }));
  const [watching, setWatching] = useState(false);
  const state = useQuery(
    trpc.actions.state.queryOptions(workload, {
      refetchInterval: (query) => (watching || query.state.data?.progressing ? 1000 : false),
    }),
  );
  const [replicas, setReplicas] = useState('');
  const [image, setImage] = useState('');
  const [container, setContainer] = useState('');
  const [revision, setRevision] = useState('');
  const [minScale, setMinScale] = useState('');
  const [maxScale, setMaxScale] = useState('');
  const [pending, setPending] = useState<{ preview: ActionPreview; idempotencyKey: string } | null>(null);
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const submittedKey = useRef<string | null>(null);

  const preview = useMutation(
    trpc.actions.preview.mutationOptions({
      // One key per confirm dialog: every click on its Confirm (a double click too) is the same request.
      onSuccess: (data) => setPending({ preview: data, idempotencyKey: crypto.randomUUID() }),
      onError: (error) => setMessage({ text: error.message, bad: true }),
    }),
  );
  const execute = useMutation(
    trpc.actions.execute.mutationOptions({
      onSuccess: (outcome) => {
        setPending(null);
        setWatching(true);
        setMessage({ text: outcome.duplicate ? outcome.message : `Done: ${outcome.message}`, bad: false });
        void queryClient.invalidateQueries({ queryKey: trpc.actions.state.queryKey(workload) });
        setTimeout(() => setWatching(false), 30_000);
      },
    }),
  );

  const data = state.data;
  const caps = capabilities.data;
  const containerName = container || data?.containers[0]?.name || '';
  const start = (action: Action): void => {
    setMessage(null);
    execute.reset();
    preview.mutate({ workload, action, generation: data?.generation });
  };
  const confirm = (): void => {
    // A double click delivers two clicks before React re-renders: a ref sees the first at once.
    // The server would answer the second as a duplicate anyway (same idempotency key).
    if (!pending || submittedKey.current === pending.idempotencyKey) return;
    submittedKey.current = pending.idempotencyKey;
    execute.mutate({
      workload,
      action: pending.preview.action,
      generation: pending.preview.generation,
      idempotencyKey: pending.idempotencyKey,
    });
  };

  const isDeployment = workload.kind === 'Deployment';
  return (
    <section className="card stack" aria-label="Actions" style={{ gap: 10 }}>
      <div style={{ display: 'flex', gap: 12, alignItems: 'baseline', flexWrap: 'wrap' }}>
        <strong>Actions</strong>
        {data ? (
          <span className="small muted" aria-label="Rollout progress">
            {data.replicas !== null
              ? `${data.readyReplicas}/${data.replicas} ready, ${data.updatedReplicas} updated`
              : ''}
            {data.paused ? ' · paused' : ''}
            {data.progressing ? ' · rolling out…' : ''}
            {` · bounds ${data.bounds.minReplicas}…${data.bounds.maxReplicas}`}
          </span>
        ) : null}
        {status.data?.user ? (
          <span className="small muted">
            as {status.data.user.name} ({status.data.user.role})
          </span>
        ) : null}
      </div>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'flex-end' }}>
        {isDeployment ? (
          <>
            <label className="field">
              <span className="field-label">Replicas</span>
              <input
                className="input"
                type="number"
                aria-label="Replicas"
                value={replicas}
                placeholder={String(data?.replicas ?? '')}
                onChange={(e) => setReplicas(e.target.value)}
                style={{ width: 80 }}
                disabled={!caps?.scale.allowed}
              />
            </label>
            <ActionButton
              label="Scale"
              capability={caps?.scale}
              onClick={() => start({ verb: 'scale', replicas: Number(replicas === '' ? data?.replicas : replicas) })}
            />
          </>
        ) : (
          <>
            <label className="field">
              <span className="field-label">Min scale</span>
              <input
                className="input"
                type="number"
                aria-label="Min scale"
                value={minScale}
                placeholder={String(data?.knative?.minScale ?? 0)}
                onChange={(e) => setMinScale(e.target.value)}
                style={{ width: 70 }}
                disabled={!caps?.['knative-scale'].allowed}
              />
            </label>
            <label className="field">
              <span className="field-label">Max scale</span>
              <input
                className="input"
                type="number"
                aria-label="Max scale"
                value={maxScale}
                placeholder={String(data?.knative?.maxScale ?? '')}
                onChange={(e) => setMaxScale(e.target.value)}
                style={{ width: 70 }}
                disabled={!caps?.['knative-scale'].allowed}
              />
            </label>
            <ActionButton
              label="Set min/max"
              capability={caps?.['knative-scale']}
              onClick={() =>
                start({
                  verb: 'knative-scale',
                  minScale: Number(minScale || data?.knative?.minScale || 0),
                  maxScale: Number(maxScale || data?.knative?.maxScale || 0),
                })
              }
            />
          </>
        )}
        <ActionButton label="Restart" capability={caps?.restart} onClick={() => start({ verb: 'restart' })} />
        {isDeployment ? (
          data?.paused ? (
            <ActionButton label="Resume rollout" capability={caps?.resume} onClick={() => start({ verb: 'resume' })} />
          ) : (
            <ActionButton label="Pause rollout" capability={caps?.pause} onClick={() => start({ verb: 'pause' })} />
          )
        ) : null}
      </div>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <label className="field">
          <span className="field-label">Container</span>
          <select
            className="input"
            aria-label="Container"
            value={containerName}
            onChange={(e) => setContainer(e.target.value)}
            disabled={!caps?.['set-image'].allowed}
          >
            {(data?.containers ?? []).map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Image</span>
          <input
            className="input"
            aria-label="Image"
            value={image}
            placeholder={data?.containers.find((c) => c.name === containerName)?.image ?? ''}
            onChange={(e) => setImage(e.target.value)}
            style={{ width: 340 }}
            disabled={!caps?.['set-image'].allowed}
          />
        </label>
        <ActionButton
          label="Deploy image"
          capability={caps?.['set-image']}
          onClick={() => start({ verb: 'set-image', container: containerName, image })}
        />
        {isDeployment ? (
          <>
            <label className="field">
              <span className="field-label">Revision</span>
              <select
                className="input"
                aria-label="Revision"
                value={revision}
                onChange={(e) => setRevision(e.target.value)}
                disabled={!caps?.rollback.allowed}
              >
                <option value="">pick…</option>
                {(data?.revisions ?? [])
                  .filter((r) => !r.current)
                  .map((r) => (
                    <option key={r.revision} value={r.revision}>{`#${r.revision} ${r.images.join(', ')}`}</option>
                  ))}
              </select>
            </label>
            <ActionButton
              label="Roll back"
              capability={caps?.rollback}
              onClick={() => start({ verb: 'rollback', revision: Number(revision) })}
            />
          </>
        ) : null}
      </div>
      {status.data?.user?.role === 'admin' && data ? (
        <ReplicaBoundsEditor workload={workload} bounds={data.bounds} />
      ) : null}
      {preview.isPending ? (
        <p className="small muted" role="status">
          Dry run…
        </p>
      ) : null}
      {message ? (
        <p className={message.bad ? 'error-text' : 'small'} role={message.bad ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      {pending ? (
        <ConfirmDialog
          title={`${titles[pending.preview.action.verb]} ${workload.name}?`}
          diff={pending.preview.diff}
          costImpactUsdPerHour={pending.preview.costImpactUsdPerHour}
          pending={execute.isPending}
          error={execute.error?.message}
          onConfirm={confirm}
          onCancel={() => setPending(null)}
        />
      ) : null}
    </section>
  );
}
