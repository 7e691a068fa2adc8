// Pages as a person meets them, in Chromium against the production build and the demo's history:
// navigation → every panel drawn, cold (a new browser profile, the range asked for the first time
// since the app started) and warm (the same page again), LCP, and the JavaScript each route ships;
// the reference is the same page's PromQL (read from its "Show query") sent straight to Prometheus
// in parallel.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { BenchRow } from './types';
import { percentile } from './lib/app-server';
import { startBenchDemo } from './lib/demo-server';

const routes = [
  { name: 'Overview', path: '/overview' },
  { name: 'GPUs', path: '/gpus' },
  { name: 'workload chat-llm', path: '/workloads/us-east-prod/llm-serving/Deployment/chat-llm' },
];
const ranges = ['7d', '14d'];
const WARM_LOADS = 3;
const REFERENCE_RUNS = 3;
const RATIO_GOAL = 1.5;
const LCP_GOAL_MS = 1500;
const JS_GOAL_KB = 250;

declare global {
  interface Window {
    allPanelsDrawnMs?: number;
  }
}

/**
 * Runs in every document before its scripts: the first frame, once the HTML is parsed, in which
 * every panel has an answer (no frame in its loading state) and no tile still shows "…". A string:
 * tsx would wrap named functions in a helper the page does not have.
 */
const watchPanels = `
(() => {
  const drawn = () => {
    if (document.readyState === 'loading') return false;
    const panels = [...document.querySelectorAll('section.panel[data-state]')];
    const tiles = [...document.querySelectorAll('.kpi-value')];
    return panels.length > 0 && panels.every((p) => p.dataset.state !== 'loading') && tiles.every((t) => t.textContent !== '…');
  };
  const frame = () => {
    if (drawn()) window.allPanelsDrawnMs = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
`;

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: watchPanels });
  return context;
}

/** Milliseconds from the navigation's start to every panel drawn. */
async function load(page: Page, url: string): Promise<number> {
  await page.goto(url);
  const handle = await page.waitForFunction(() => window.allPanelsDrawnMs, undefined, { timeout: 60_000 });
  return (await handle.jsonValue()) as number;
}

async function largestContentfulPaintMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? Number.NaN)).observe({
          type: 'largest-contentful-paint',
          buffered: true,
        });
      }),
  );
}

interface PageQuery {
  promql: string;
  startS: number;
  endS: number;
  stepS: number | null;
}

/** Every distinct query the page's panels show under "Show query", with their range and step. */
async function pageQueries(page: Page): Promise<PageQuery[]> {
  const found = await page.locator('details.show-query').evaluateAll((details) =>
    details.map((d) => ({
      range: d.querySelector('p')?.textContent ?? '',
      promql: [...d.querySelectorAll('pre.promql')].map((p) => p.textContent ?? ''),
    })),
  );
  const queries = new Map<string, PageQuery>();
  for (const { range, promql } of found) {
    const match = /^(\S+ \S+) → (\S+ \S+) UTC(?:, step (\d+(?:\.\d+)?) s)?$/.exec(range);
    if (!match) throw new Error(`unexpected range text "${range}"`);
    const startS = Date.parse(`${match[1]!.replace(' ', 'T')}Z`) / 1000;
    const endS = Date.parse(`${match[2]!.replace(' ', 'T')}Z`) / 1000;
    const stepS = match[3] ? Number(match[3]) : null;
    for (const text of promql) queries.set(`${text}|${startS}|${endS}|${stepS}`, { promql: text, startS, endS, stepS });
  }
  return [...queries.values()];
}

/** The page's queries sent straight to Prometheus at once (gzip negotiated); ms until the last answer is read. */
async function direct(prometheusUrl: string, queries: PageQuery[]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    queries.map(async (q) => {
      const body =
        q.stepS === null
          ? new URLSearchParams({ query: q.promql, time: String(q.endS) })
          : new URLSearchParams({
              query: q.promql,
              start: String(q.startS),
              end: String(q.endS),
              step: String(q.stepS),
            });
      const response = await fetch(`${prometheusUrl}/api/v1/${q.stepS === null ? 'query' : 'query_range'}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Prometheus ${response.status}: ${text.slice(0, 200)} for ${q.promql}`);
    }),
  );
  return performance.now() - started;
}

/** Gzipped sizes of the scripts a route's pages load, by URL (filled as the responses arrive). */
type ScriptSizes = Map<string, Promise<number>>;

async function measureRoute(
  browser: Browser,
  appUrl: string,
  prometheusUrl: string,
  route: { name: string; path: string },
  range: string,
  scripts: ScriptSizes,
): Promise<BenchRow[]> {
  const url = `${appUrl}${route.path}?from=now-${range}&to=now`;
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      if (!scripts.has(response.url()))
        scripts.set(
          response.url(),
          response.body().then(
            (body) => gzipSync(body).length,
            () => Number.NaN,
          ),
        );
    });
    const coldMs = await load(page, url);
    const lcpMs = await largestContentfulPaintMs(page);
    const queries = await pageQueries(page);
    const warm: number[] = [];
    for (let i = 0; i < WARM_LOADS; i += 1) warm.push(await load(page, url));
    const reference: number[] = [];
    for (let i = 0; i < REFERENCE_RUNS; i += 1) reference.push(await direct(prometheusUrl, queries));
    const warmMs = percentile(
      warm.sort((a, b) => a - b),
      50,
    );
    const referenceMs = percentile(
      reference.sort((a, b) => a - b),
      50,
    );
    const label = `${route.name}, ${range}`;
    return [
      {
        name: `page ${label}: navigation → every panel drawn, cold, vs its ${queries.length} PromQL queries straight to Prometheus in parallel (p50 of ${REFERENCE_RUNS})`,
        ours: coldMs,
        reference: referenceMs,
        unit: 'ms',
        ratio: coldMs / referenceMs,
        goal: `≤ ${RATIO_GOAL}`,
        pass: coldMs / referenceMs <= RATIO_GOAL,
      },
      {
        name: `page ${label}: the same, warm (the page again in the same browser, p50 of ${WARM_LOADS})`,
        ours: warmMs,
        reference: referenceMs,
        unit: 'ms',
        ratio: warmMs / referenceMs,
        goal: 'info',
        pass: true,
      },
      {
        name: `page ${label}: largest contentful paint, cold, vs ${LCP_GOAL_MS} ms`,
        ours: lcpMs,
        reference: LCP_GOAL_MS,
        unit: 'ms',
        ratio: lcpMs / LCP_GOAL_MS,
        goal: '≤ 1',
        pass: lcpMs <= LCP_GOAL_MS,
      },
    ];
  } finally {
    await context.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  const root = path.resolve(import.meta.dirname, '..');
  const demo = await startBenchDemo({
    home: process.env.BENCH_PAGES_HOME ?? path.join(root, '.burnrate/bench-pages'),
    portOffset: Number(process.env.BENCH_PAGES_PORT_OFFSET ?? 500),
    appPort: Number(process.env.BENCH_PAGES_APP_PORT ?? 3500),
    historyDays: 15,
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    // The server's first request loads its modules: not part of any page's figure.
    const warmUp = await browser.newPage();
    await warmUp.goto(`${demo.appUrl}/alerts?from=now-1h&to=now`);
    await warmUp.close();
    const rows: BenchRow[] = [];
    for (const route of routes) {
      const scripts: ScriptSizes = new Map();
      for (const range of ranges)
        rows.push(...(await measureRoute(browser, demo.appUrl, demo.prometheusUrl, route, range, scripts)));
      const kb = (await Promise.all(scripts.values())).reduce((sum, bytes) => sum + bytes, 0) / 1024;
      rows.push({
        name: `page ${route.name}: JavaScript shipped on first load (${scripts.size} files, gzip), vs ${JS_GOAL_KB} KB`,
        ours: kb,
        reference: JS_GOAL_KB,
        unit: 'KB',
        ratio: kb / JS_GOAL_KB,
        goal: '≤ 1',
        pass: kb <= JS_GOAL_KB,
      });
    }
    return rows;
  } finally {
    await browser.close();
    await demo.stop();
  }
}
