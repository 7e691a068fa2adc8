'use client';

import type { ReactNode } from 'react';
import type { MissingExporter, PanelQueryInfo, PanelSource, StaleInfo } from '@/server/metrics/types';
import {
  InvalidRequestState,
  MissingExporterState,
  PanelLoading,
  PanelUnavailableState,
  StaleBadge,
} from './panel-states';
import type { RequestError } from './use-panel-data';
import { ShowQuery } from './show-query';
import './panel-styles';

type FrameAnswer =
  | {
      status: 'ok';
      stale: StaleInfo | null;
      source: PanelSource;
      queries: PanelQueryInfo[];
      startMs: number;
      endMs: number;
      stepSeconds?: number;
    }
  | MissingExporter
  | { status: 'unavailable'; error: string; queries: PanelQueryInfo[] };

export interface PanelFrameProps {
  title: string;
  /** What the figure means, in one line (units included). */
  subtitle?: string;
  answer: FrameAnswer | undefined;
  requestError?: RequestError | null;
  isFetching?: boolean;
  /** Header controls (legend toggles sit in the chart). */
  actions?: ReactNode;
  /** Drawn only when the answer is ok. */
  children: ReactNode;
  /** "and N more" when a series or row cap cut the answer. */
  omitted?: { count: number; what: string };
  className?: string;
  testId?: string;
}

function frameState(answer: FrameAnswer | undefined, requestError: RequestError | null | undefined): string {
  if (requestError) return requestError.invalid ? 'invalid' : 'unavailable';
  if (answer?.status === 'ok') return answer.stale ? 'stale' : 'ok';
  return answer?.status ?? 'loading';
}

/** Title, units, source, stale badge, show-query and the loading/missing/unavailable states of one panel. */
export function PanelFrame({
  title,
  subtitle,
  answer,
  requestError,
  isFetching,
  actions,
  children,
  omitted,
  className,
  testId,
}: PanelFrameProps): ReactNode {
  let body: ReactNode;
  if (requestError?.invalid) body = <InvalidRequestState error={requestError.message} />;
  else if (requestError) body = <PanelUnavailableState error={requestError.message} />;
  else if (!answer) body = <PanelLoading />;
  else if (answer.status === 'missing') body = <MissingExporterState missing={answer} />;
  else if (answer.status === 'unavailable') body = <PanelUnavailableState error={answer.error} />;
  else body = children;
  const ok = answer?.status === 'ok' ? answer : null;
  return (
    <section
      className={`card panel ${className ?? ''}`}
      data-testid={testId}
      data-state={frameState(answer, requestError)}
      aria-label={title}
    >
      <header className="panel-head">
        <div className="panel-titles">
          <h2>{title}</h2>
          {subtitle ? <p className="muted small">{subtitle}</p> : null}
        </div>
        <div className="panel-actions">
          {isFetching ? <span className="fetching-dot" title="Refreshing" aria-hidden="true" /> : null}
          {actions}
        </div>
      </header>
      {ok?.stale ? <StaleBadge stale={ok.stale} /> : null}
      <div className="panel-body">{body}</div>
      <footer className="panel-foot">
        {omitted && omitted.count > 0 ? (
          <span className="small muted" data-testid="omitted">
            and {omitted.count} more {omitted.what}
          </span>
        ) : null}
        {ok ? (
          <span
            className="small muted source"
            title={`Source: ${ok.source.metrics.join(', ')}. ${ok.source.description}`}
          >
            Source: {ok.source.metrics.join(', ')}
          </span>
        ) : null}
        {ok ? (
          <ShowQuery queries={ok.queries} startMs={ok.startMs} endMs={ok.endMs} stepSeconds={ok.stepSeconds ?? null} />
        ) : null}
      </footer>
    </section>
  );
}
