import type { ReactNode } from 'react';
import type { LiveEvent, LiveWorkflow, LiveWorkflowStep } from '@/server/kubernetes/types';
import { dagColumns } from './dag-layout';
import { formatDurationMs, formatGpuHours, formatUtc, phaseTone, spanMs } from './format';
import styles from './kube.module.css';

/** Why a step failed: Argo's node message, else the WorkflowNodeFailed event about it. */
export function failureReason(run: LiveWorkflow, step: LiveWorkflowStep, events: LiveEvent[]): string | null {
  if (step.phase !== 'Failed' && step.phase !== 'Error') return null;
  if (step.message) return step.message;
  const event = events.find(
    (e) => e.involvedName === run.name && e.reason === 'WorkflowNodeFailed' && e.message.includes(`.${step.name}:`),
  );
  return event ? event.message.slice(event.message.indexOf(':') + 1).trim() : 'failed (no reason reported)';
}

function StepNode({
  run,
  step,
  events,
  nowMs,
}: {
  run: LiveWorkflow;
  step: LiveWorkflowStep;
  events: LiveEvent[];
  nowMs: number;
}): ReactNode {
  const reason = failureReason(run, step, events);
  const durationMs = spanMs(step.startedAt, step.finishedAt, nowMs);
  const className = [
    styles.step,
    reason ? styles.stepFailed : '',
    step.phase === 'Running' ? styles.stepRunning : '',
  ].join(' ');
  return (
    <article
      className={className}
      tabIndex={0}
      data-testid="dag-step"
      data-step={step.name}
      data-phase={step.phase}
      aria-label={`Step ${step.name}: ${step.phase}${reason ? `, failed: ${reason}` : ''}`}
    >
      <div className={styles.stepHead}>
        <strong>{step.name}</strong>
        <span className={`badge ${phaseTone(step.phase)}`}>{step.phase}</span>
      </div>
      {reason ? (
        <p className={styles.reason} data-testid="step-reason">
          {reason}
        </p>
      ) : null}
      <span className="small">
        {durationMs === null
          ? 'not started'
          : `${step.finishedAt ? 'took' : 'running for'} ${formatDurationMs(durationMs)}`}
        {step.retries > 0 ? ` · ${step.retries} ${step.retries === 1 ? 'retry' : 'retries'}` : ''}
        {step.exitCode && step.exitCode !== '0' ? ` · exit ${step.exitCode}` : ''}
      </span>
      <span className="small muted">started {formatUtc(step.startedAt)}</span>
      {step.podName ? <span className={`small ${styles.mono}`}>pod {step.podName}</span> : null}
      {step.hostNodeName ? <span className={`small ${styles.mono}`}>node {step.hostNodeName}</span> : null}
      {step.gpuSeconds > 0 ? <span className="small">{formatGpuHours(step.gpuSeconds)} GPU h</span> : null}
    </article>
  );
}

/** A run's steps as a left-to-right DAG; each step is focusable and announces its state. */
export function WorkflowDag({
  run,
  events,
  nowMs,
}: {
  run: LiveWorkflow;
  events: LiveEvent[];
  nowMs: number;
}): ReactNode {
  const columns = dagColumns(run.steps);
  if (columns.length === 0) return <p className="muted">No step has started yet.</p>;
  return (
    <div className={styles.dag} data-testid="dag" role="list" aria-label={`Steps of ${run.name}`}>
      {columns.map((column, i) => (
        <div
          className={styles.dagColumn}
          key={column.map((s) => s.id).join()}
          role="listitem"
          aria-label={`Stage ${i + 1}`}
        >
          {column.map((step) => (
            <StepNode key={step.id} run={run} step={step} events={events} nowMs={nowMs} />
          ))}
        </div>
      ))}
    </div>
  );
}
