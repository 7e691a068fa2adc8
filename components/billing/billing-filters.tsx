'use client';

import { useState, type ReactNode } from 'react';
import {
  GROUP_DIMENSIONS,
  LIST_FILTERS,
  PERIOD_PRESETS,
  type BillingView,
  type ListFilter,
} from '@/app/billing/search-params';

export const DIMENSION_LABELS: Record<string, string> = {
  provider: 'Provider',
  billingAccount: 'Account',
  subAccount: 'Sub-account',
  service: 'Service',
  serviceCategory: 'Service category',
  region: 'Region',
  chargeCategory: 'Charge category',
  resource: 'Resource',
  currency: 'Currency',
};

const PRESET_LABELS: Record<BillingView['preset'], string> = {
  'last-30-days': 'Last 30 days',
  'this-month': 'This month',
  'last-month': 'Last month',
  'last-3-months': 'Last 3 months',
  'last-12-months': 'Last 12 months',
  all: 'All time',
  custom: 'Custom',
};

export function dimensionLabel(dimension: string): string {
  return dimension.startsWith('tag:') ? `Tag ${dimension.slice(4)}` : (DIMENSION_LABELS[dimension] ?? dimension);
}

/** Period, dimension filters, tag filter and grouping; every change goes to the URL. */
export function BillingFilters({
  view,
  options,
  tagKeys,
  onChange,
}: {
  view: BillingView;
  options: Partial<Record<ListFilter, string[]>>;
  tagKeys: readonly string[];
  onChange: (next: BillingView) => void;
}): ReactNode {
  const [tagKey, setTagKey] = useState(tagKeys[0] ?? '');
  const [tagValue, setTagValue] = useState('');
  const setList = (key: ListFilter, value: string): void => {
    const lists = { ...view.lists };
    if (value) lists[key] = [value];
    else delete lists[key];
    onChange({ ...view, lists });
  };
  return (
    <div className="stack" style={{ gap: 8 }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <label className="field">
          <span className="field-label">Period</span>
          <select
            className="input"
            aria-label="Period"
            value={view.preset}
            onChange={(e) => onChange({ ...view, preset: e.target.value as BillingView['preset'] })}
          >
            {[...PERIOD_PRESETS, 'custom' as const].map((p) => (
              <option key={p} value={p}>
                {PRESET_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">From</span>
          <input
            className="input"
            type="date"
            aria-label="From"
            value={view.from}
            onChange={(e) => e.target.value && onChange({ ...view, preset: 'custom', from: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">To (exclusive)</span>
          <input
            className="input"
            type="date"
            aria-label="To"
            value={view.to}
            onChange={(e) => e.target.value && onChange({ ...view, preset: 'custom', to: e.target.value })}
          />
        </label>
        {LIST_FILTERS.map((key) => (
          <label key={key} className="field">
            <span className="field-label">{DIMENSION_LABELS[key]}</span>
            <select
              className="input"
              style={{ maxWidth: 240 }}
              aria-label={DIMENSION_LABELS[key]}
              value={view.lists[key]?.[0] ?? ''}
              onChange={(e) => setList(key, e.target.value)}
            >
              <option value="">all</option>
              {[...new Set([...(options[key] ?? []), ...(view.lists[key] ?? [])])].map((v) => (
                <option key={v} value={v}>
                  {v === '' ? '(none)' : v}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <label className="field">
          <span className="field-label">Tag key</span>
          <select className="input" aria-label="Tag key" value={tagKey} onChange={(e) => setTagKey(e.target.value)}>
            {tagKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Tag value</span>
          <input
            className="input"
            aria-label="Tag value"
            value={tagValue}
            onChange={(e) => setTagValue(e.target.value)}
            placeholder="e.g. prod"
          />
        </label>
        <button
          type="button"
          className="button"
          disabled={!tagKey || !tagValue}
          onClick={() => {
            onChange({
              ...view,
              tags: { ...view.tags, [tagKey]: [...new Set([...(view.tags[tagKey] ?? []), tagValue])] },
            });
            setTagValue('');
          }}
        >
          Add tag filter
        </button>
        {Object.entries(view.tags).flatMap(([key, values]) =>
          values.map((value) => (
            <button
              key={`${key}:${value}`}
              type="button"
              className="badge"
              aria-label={`Remove tag filter ${key}=${value}`}
              onClick={() => {
                const tags = { ...view.tags, [key]: values.filter((v) => v !== value) };
                if (tags[key]?.length === 0) delete tags[key];
                onChange({ ...view, tags });
              }}
            >
              {key}={value} ×
            </button>
          )),
        )}
        <label className="field">
          <span className="field-label">Group by</span>
          <select
            className="input"
            aria-label="Group by"
            value={view.groupBy ?? ''}
            onChange={(e) => onChange({ ...view, groupBy: e.target.value || null })}
          >
            <option value="">nothing (totals)</option>
            {GROUP_DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {dimensionLabel(d)}
              </option>
            ))}
            {tagKeys.map((k) => (
              <option key={k} value={`tag:${k}`}>
                {dimensionLabel(`tag:${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Granularity</span>
          <select
            className="input"
            aria-label="Granularity"
            value={view.granularity}
            onChange={(e) => onChange({ ...view, granularity: e.target.value === 'month' ? 'month' : 'day' })}
          >
            <option value="day">day</option>
            <option value="month">month</option>
          </select>
        </label>
      </div>
    </div>
  );
}
