'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTRPC } from '@/lib/trpc/client';
import type { ReplicaBounds } from '@/server/actions/policy';
import type { WorkloadRef } from '@/server/actions/types';

/** Admins only: the replica bounds of this workload, saved as a settings rule (wins over annotations). */
export function ReplicaBoundsEditor({ workload, bounds }: { workload: WorkloadRef; bounds: ReplicaBounds }): ReactNode {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [min, setMin] = useState(String(bounds.minReplicas));
  const [max, setMax] = useState(String(bounds.maxReplicas));
  const save = useMutation(
    trpc.actions.setReplicaBounds.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.actions.state.queryKey(workload) }),
    }),
  );
  return (
    <form
      aria-label="Replica bounds"
      style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ ...workload, minReplicas: Number(min), maxReplicas: Number(max) });
      }}
    >
      <label className="field">
        <span className="field-label">Min replicas</span>
        <input
          className="input"
          type="number"
          aria-label="Min replicas"
          value={min}
          onChange={(e) => setMin(e.target.value)}
          style={{ width: 70 }}
        />
      </label>
      <label className="field">
        <span className="field-label">Max replicas</span>
        <input
          className="input"
          type="number"
          aria-label="Max replicas"
          value={max}
          onChange={(e) => setMax(e.target.value)}
          style={{ width: 70 }}
        />
      </label>
      <button type="submit" className="button" disabled={save.isPending}>
        Save bounds
      </button>
      <span className="small muted">
        now {bounds.minReplicas}…{bounds.maxReplicas} ({bounds.source})
      </span>
      {save.error ? (
        <span className="error-text" role="alert">
          {save.error.message}
        </span>
      ) : null}
      {save.isSuccess ? (
        <span className="small" role="status">
          Saved.
        </span>
      ) : null}
    </form>
  );
}
