'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  describeTimeRange,
  quickRanges,
  refreshIntervals,
  resolveTimeRange,
  TimeRangeError,
  type RefreshInterval,
} from '@/lib/time-range';
import { useDashboardParams } from '@/lib/url-state';

function useNow(): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return nowMs;
}

export function TimeRangePicker(): ReactNode {
  const { range, refresh, update } = useDashboardParams();
  const queryClient = useQueryClient();
  const nowMs = useNow();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [error, setError] = useState<string | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onClick = (event: MouseEvent): void => {
      if (panelRef.current && !panelRef.current.parentElement?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    panelRef.current?.querySelector<HTMLElement>('button, input')?.focus();
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  let label: string;
  try {
    label = describeTimeRange(range, nowMs);
  } catch (caught) {
    label = caught instanceof TimeRangeError ? 'Invalid time range' : 'Time range';
  }

  function apply(event: FormEvent): void {
    event.preventDefault();
    try {
      resolveTimeRange({ from, to }, Date.now());
      setError(null);
      update({ from, to });
      setOpen(false);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <div className="time-range">
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="time-range-button"
        onClick={() => {
          setFrom(range.from);
          setTo(range.to);
          setError(null);
          setOpen((o) => !o);
        }}
      >
        {label}
      </button>
      {open ? (
        <div className="popover" id={panelId} role="dialog" aria-label="Time range" ref={panelRef}>
          <div className="popover-columns">
            <form onSubmit={apply} className="absolute-range">
              <strong>Range</strong>
              <label className="field">
                <span className="field-label">From</span>
                <input
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                  name="from"
                  placeholder="now-6h or 2026-11-01T00:00:00Z"
                />
              </label>
              <label className="field">
                <span className="field-label">To</span>
                <input value={to} onChange={(e) => setTo(e.target.value)} name="to" placeholder="now" />
              </label>
              {error ? (
                <p className="error-text" role="alert">
                  {error}
                </p>
              ) : null}
              <button type="submit" className="button primary">
                Apply time range
              </button>
            </form>
            <div className="quick-ranges">
              <strong>Quick ranges</strong>
              <ul>
                {quickRanges.map((quick) => (
                  <li key={quick.from}>
                    <button
                      type="button"
                      className={`link-button${range.from === quick.from && range.to === 'now' ? ' active' : ''}`}
                      onClick={() => {
                        update({ from: quick.from, to: 'now' });
                        setOpen(false);
                      }}
                    >
                      {quick.label}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </div>
      ) : null}
      <label className="field inline">
        <span className="field-label">Refresh</span>
        <select
          value={refresh}
          onChange={(e) => update({ refresh: e.target.value as RefreshInterval })}
          data-testid="refresh-select"
        >
          {refreshIntervals.map((interval) => (
            <option key={interval} value={interval}>
              {interval === 'off' ? 'Off' : `Every ${interval}`}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button ghost"
        aria-label="Refresh now"
        title="Refresh now"
        onClick={() => void queryClient.invalidateQueries()}
      >
        ⟳
      </button>
    </div>
  );
}
