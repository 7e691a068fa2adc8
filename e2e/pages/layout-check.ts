import type { Page } from '@playwright/test';

/** What a reader would see cut off or pushed past the window's edge. */
export interface LayoutReport {
  innerWidth: number;
  scrollWidth: number;
  /** One line per problem: which element, and by how many pixels. */
  problems: string[];
}

/**
 * Measures the page as it is drawn: the document wider than the window; a box that hides overflow
 * (hidden or clip) with content wider than it, unless it truncates with an ellipsis and has the
 * whole text in a title; a card, panel or tile whose content spills past its border; chart text
 * (axis labels) drawn outside its SVG.
 */
export function measureLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const name = (el: Element): string => {
      const id = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? '';
      const cls =
        typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).slice(0, 3).join('.') : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${id ? ` "${id}"` : ''}> "${text}"`;
    };
    const visible = (el: Element): boolean => {
      const rect = el.getBoundingClientRect();
      return rect.width > 1 && rect.height > 1 && getComputedStyle(el).visibility !== 'hidden';
    };
    const boxes = new Set(['card', 'panel', 'kpi', 'state', 'step', 'slot', 'family']);
    for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
      if (!(el instanceof HTMLElement) || !visible(el)) continue;
      const style = getComputedStyle(el);
      const over = el.scrollWidth - el.clientWidth;
      if (over <= 1) continue;
      if (style.overflowX === 'hidden' || style.overflowX === 'clip') {
        // Truncated text is fine when the whole of it is in a title a reader can hover.
        const whole = (el.textContent ?? '').trim().replace(/\s+/g, ' ');
        const title = el.closest('[title]')?.getAttribute('title')?.replace(/\s+/g, ' ') ?? '';
        if (style.textOverflow === 'ellipsis' && whole !== '' && title.includes(whole)) continue;
        problems.push(`clipped by ${over}px: ${name(el)}`);
      } else if (style.overflowX === 'visible' && [...el.classList].some((c) => boxes.has(c))) {
        problems.push(`spills ${over}px past its border: ${name(el)}`);
      }
    }
    for (const text of document.body.querySelectorAll('svg text')) {
      const svg = text.closest('svg');
      if (!svg || !visible(text)) continue;
      const outer = svg.getBoundingClientRect();
      const inner = text.getBoundingClientRect();
      const cut = Math.max(outer.left - inner.left, inner.right - outer.right);
      if (cut > 1) problems.push(`chart text cut by ${Math.round(cut)}px: ${name(text)}`);
    }
    const { scrollWidth } = document.documentElement;
    if (scrollWidth > window.innerWidth) {
      const wide = [...document.body.querySelectorAll('*')].filter(
        (el) => el.getBoundingClientRect().right > window.innerWidth + 1,
      );
      problems.push(
        `page ${scrollWidth}px wide in a ${window.innerWidth}px window; past the edge: ${wide.slice(-3).map(name).join(', ')}`,
      );
    }
    return { innerWidth: window.innerWidth, scrollWidth, problems };
  });
}

/** Waits until no panel, table or state says it is loading (bounded: a slow panel is still measured). */
export async function settle(page: Page, timeoutMs = 20_000): Promise<void> {
  await page
    .waitForFunction(
      () => document.querySelectorAll('[aria-busy="true"], [data-state="loading"]').length === 0,
      undefined,
      { timeout: timeoutMs },
    )
    .catch(() => undefined);
}

/** True when the element lies wholly inside the window, left to right (not cut, not scrolled away). */
export function withinWindow(page: Page, selector: string): Promise<boolean[]> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const rect = el.getBoundingClientRect();
      let box: Element | null = el.parentElement;
      while (box && box !== document.body) {
        const style = getComputedStyle(box);
        if (style.overflowX !== 'visible') {
          const outer = box.getBoundingClientRect();
          if (rect.left < outer.left - 1 || rect.right > outer.right + 1) return false;
        }
        box = box.parentElement;
      }
      return rect.left >= 0 && rect.right <= window.innerWidth;
    }),
  );
}
