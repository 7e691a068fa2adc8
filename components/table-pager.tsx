'use client';

import { useState, type ReactNode } from 'react';

// Lists that grow with the cluster (30,000 pods on a large platform) render one page of rows at a
// time, with a count and buttons to move between pages; small lists stay as they were.

export const defaultPageSize = 100;

export interface Page<T> {
  rows: T[];
  /** Zero-based, clamped to the last page when the list shrank. */
  page: number;
  pageCount: number;
  /** One-based positions of the first and last row shown; 0 and 0 for an empty list. */
  first: number;
  last: number;
  total: number;
}

export function pageOf<T>(items: readonly T[], page: number, pageSize = defaultPageSize): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.max(0, Math.min(Math.floor(page), pageCount - 1));
  const start = current * pageSize;
  const rows = items.slice(start, start + pageSize);
  return {
    rows,
    page: current,
    pageCount,
    first: rows.length > 0 ? start + 1 : 0,
    last: start + rows.length,
    total: items.length,
  };
}

const count = new Intl.NumberFormat('en-US');

/** "Showing 1–100 of 30,000 pods". */
export function describePage(page: Page<unknown>, noun: string): string {
  return `Showing ${count.format(page.first)}–${count.format(page.last)} of ${count.format(page.total)} ${noun}`;
}

export function usePagedRows<T>(
  items: readonly T[],
  noun: string,
  pageSize = defaultPageSize,
): { rows: T[]; pager: ReactNode } {
  const [requested, setRequested] = useState(0);
  const page = pageOf(items, requested, pageSize);
  if (items.length <= pageSize) return { rows: page.rows, pager: null };
  return { rows: page.rows, pager: <TablePager page={page} noun={noun} onPage={setRequested} /> };
}

function TablePager({
  page,
  noun,
  onPage,
}: {
  page: Page<unknown>;
  noun: string;
  onPage: (page: number) => void;
}): ReactNode {
  const atStart = page.page === 0;
  const atEnd = page.page === page.pageCount - 1;
  return (
    <nav className="table-pager" aria-label={`Pages of ${noun}`} data-testid="table-pager">
      <p role="status" className="small" data-testid="table-pager-count">
        {describePage(page, noun)}
      </p>
      <button type="button" className="button ghost" disabled={atStart} onClick={() => onPage(0)}>
        First
      </button>
      <button type="button" className="button ghost" disabled={atStart} onClick={() => onPage(page.page - 1)}>
        Previous
      </button>
      <span className="small muted">
        Page {count.format(page.page + 1)} of {count.format(page.pageCount)}
      </span>
      <button type="button" className="button ghost" disabled={atEnd} onClick={() => onPage(page.page + 1)}>
        Next
      </button>
      <button type="button" className="button ghost" disabled={atEnd} onClick={() => onPage(page.pageCount - 1)}>
        Last
      </button>
    </nav>
  );
}
