'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { TimeSeriesChart } from '@/components/charts/chart-time-series';
import { PanelFrame } from '@/components/panels/panel-frame';
import { PanelEmpty } from '@/components/panels/panel-states';
import { ErrorState, LoadingState } from '@/components/states';
import { describeTimeRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc/client';
import { useDashboardParams } from '@/lib/url-state';

const EXAMPLE = 'sum by (cluster) (rate(vllm:request_success_total[5m]))';
const POINTS_WANTED = 600;

/** The query box, the run, and the answer drawn as a panel; admins only (the server checks too). */
export function ExploreClient(): ReactNode {
  const trpc = useTRPC();
  const status = useQuery(trpc.auth.status.queryOptions());
  const { range } = useDashboardParams();
  const [query, setQuery] = useState(EXAMPLE);
  const run = useMutation(trpc.metrics.explore.mutationOptions());
  const inputId = useId();
  const [openedMs] = useState(() => Date.now());

  if (status.isPending) return <LoadingState label="Checking your role…" />;
  const user = status.data?.user;
  if (!user || user.role !== 'admin') {
    return (
      <ErrorState
        title="Admins only"
        message={`Ad-hoc PromQL needs the admin role; you are ${user ? user.role : 'not signed in'}. Every chart of Burnrate shows its own query under “Show query”.`}
      />
    );
  }

  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (query.trim() === '' || run.isPending) return;
    run.mutate({ query, range: { from: range.from, to: range.to }, pointsWanted: POINTS_WANTED });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };
  const answer = run.data;
  const ok = answer?.status === 'ok' ? answer : null;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      <form className="card" onSubmit={submit} aria-label="PromQL query" data-testid="explore-form">
        <label htmlFor={inputId} className="field-label">
          PromQL
        </label>
        <textarea
          id={inputId}
          className="code-input"
          rows={4}
          spellCheck={false}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          maxLength={4000}
          data-testid="explore-query"
        />
        <div className="form-row">
          <button type="submit" className="button primary" disabled={run.isPending || query.trim() === ''}>
            {run.isPending ? 'Running…' : 'Run query'}
          </button>
          <span className="muted small">
            Ctrl+Enter runs it · range: {describeTimeRange(range, openedMs)} (the picker above)
          </span>
        </div>
      </form>
      {run.error ? (
        <div role="alert" data-testid="explore-error">
          <ErrorState title="The query did not run" message={run.error.message} />
        </div>
      ) : null}
      {answer ? (
        <PanelFrame
          title="Result"
          subtitle={ok ? `${ok.series.length} series, one point per ${ok.stepSeconds} s` : undefined}
          answer={answer}
          omitted={ok ? { count: ok.omittedSeriesCount, what: 'series (top by mean shown)' } : undefined}
          testId="explore-result"
        >
          {ok && ok.series.length === 0 ? <PanelEmpty>No series in this range.</PanelEmpty> : null}
          {ok && ok.series.length > 0 ? (
            <TimeSeriesChart series={ok.series} unit={ok.unit} startMs={ok.startMs} endMs={ok.endMs} />
          ) : null}
        </PanelFrame>
      ) : null}
    </div>
  );
}
