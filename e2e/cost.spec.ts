// Cost allocation on the running demo, checked against figures computed here: yesterday's bill of
// each cluster summed from the demo's FOCUS files, and the chat model's tokens asked straight of
// Prometheus; the CLI (which runs inside the app while it holds the database) and the Cost page
// must show the same figures.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { formatMoney } from '../lib/format';
import { demoRuntime, e2eHome } from './fixtures/demo-runtime';
import { expect, test } from './fixtures/test';

const HOUR_MS = 3_600_000;
const dayStartMs = Math.floor(Date.now() / (24 * HOUR_MS)) * 24 * HOUR_MS - 24 * HOUR_MS;
const day = new Date(dayStartMs).toISOString().slice(0, 10);
const clusters = ['us-east-prod', 'eu-west-batch'];

function burnrate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, BURNRATE_HOME: e2eHome(), DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The EffectiveCost of the lines tagged with the cluster, each spread evenly over its period, within [from, to). */
function billedFromFiles(cluster: string, fromMs: number, toMs: number): Decimal {
  const dir = demoRuntime().billingDir;
  let total = new Decimal(0);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
    const rows = Papa.parse<Record<string, string>>(readFileSync(path.join(dir, file), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    for (const row of rows) {
      if (!row.Tags || (JSON.parse(row.Tags) as Record<string, string>)['eks:cluster-name'] !== cluster) continue;
      const start = Date.parse(row.ChargePeriodStart!);
      const end = Date.parse(row.ChargePeriodEnd!);
      const overlap = Math.min(end, toMs) - Math.max(start, fromMs);
      if (overlap <= 0) continue;
      total = total.plus(new Decimal(row.EffectiveCost!).times(overlap).dividedBy(end - start));
    }
  }
  return total;
}

interface ReconcileJson {
  billed: string;
  allocated: string;
  idle: string;
  shared: string;
  gap: string;
  gapPercent: string;
  hoursComputed: number;
}

test.describe('cost allocation', () => {
  test.describe.configure({ timeout: 300_000 });

  test(`reconciles ${day} to the bill within 1 % per cluster, the same on the page and from the CLI`, async ({
    page,
  }) => {
    const figures = new Map<string, ReconcileJson>();
    for (const cluster of clusters) {
      // The allocation job backfills the history after the app starts, priced by OpenCost's metrics
      // until the demo's bill is imported, then again from the bill: wait for the whole day, billed.
      const from = new Date(dayStartMs).toISOString();
      const to = new Date(dayStartMs + 24 * HOUR_MS).toISOString();
      await expect
        .poll(
          () => {
            const run = burnrate(['reconcile', '--day', day, '--cluster', cluster, '--format', 'json']);
            if (run.status !== 0) return run.stderr;
            const hours = (JSON.parse(run.stdout) as ReconcileJson).hoursComputed;
            const cost = burnrate([
              'cost',
              '--from',
              from,
              '--to',
              to,
              '--by',
              'cluster',
              '--cluster',
              cluster,
              '--format',
              'json',
            ]);
            const sources = (JSON.parse(cost.stdout) as { sources: string }[]).map((r) => r.sources);
            return { hours, sources: [...new Set(sources)] };
          },
          { timeout: 240_000, intervals: [5_000] },
        )
        .toEqual({ hours: 24, sources: ['bill'] });
      const json = JSON.parse(
        burnrate(['reconcile', '--day', day, '--cluster', cluster, '--format', 'json']).stdout,
      ) as ReconcileJson;
      const billed = billedFromFiles(cluster, dayStartMs, dayStartMs + 24 * HOUR_MS);
      expect(new Decimal(json.billed).minus(billed).abs().toNumber()).toBeLessThan(1e-6);
      const accounted = new Decimal(json.allocated).plus(json.idle).plus(json.shared);
      expect(accounted.minus(billed).abs().dividedBy(billed).toNumber()).toBeLessThanOrEqual(0.01);
      expect(Math.abs(Number(json.gapPercent))).toBeLessThanOrEqual(1);
      figures.set(cluster, json);
    }
    await page.goto('/cost?from=now-2d&to=now');
    const table = page.getByTestId('reconcile');
    for (const [cluster, json] of figures) {
      const row = table.getByRole('row').filter({ hasText: day }).filter({ hasText: cluster });
      await expect(row).toContainText(formatMoney(json.billed));
      await expect(row).toContainText(formatMoney(json.allocated));
    }
  });

  test(`chat-llm's cost per 1M tokens is its cost ÷ the tokens Prometheus counted on ${day}`, async () => {
    const from = new Date(dayStartMs).toISOString();
    const to = new Date(dayStartMs + 24 * HOUR_MS).toISOString();
    const run = burnrate([
      'cost',
      '--from',
      from,
      '--to',
      to,
      '--by',
      'workload',
      '--cluster',
      'us-east-prod',
      '--format',
      'json',
    ]);
    expect(run.stderr).toBe('');
    const rows = JSON.parse(run.stdout) as {
      key: string;
      cost: string;
      promptTokens?: number;
      generatedTokens?: number;
      costPer1MTokens?: string;
    }[];
    const chat = rows.find((r) => r.key === 'us-east-prod/llm-serving/Deployment/chat-llm')!;
    expect(chat).toBeDefined();
    // The Deployment's pods (chat-llm-<hash>-<id>), not the Knative revision's; one increase per hour, as the job counts.
    const pods = '{cluster="us-east-prod",namespace="llm-serving",pod=~"chat-llm-[^-]+-[^-]+"}';
    const query = `sum(increase(vllm:prompt_tokens_total${pods}[1h])) + sum(increase(vllm:generation_tokens_total${pods}[1h]))`;
    const params = new URLSearchParams({
      query,
      start: String(dayStartMs / 1000 + 3600),
      end: String(dayStartMs / 1000 + 86_400),
      step: '3600',
    });
    const answer = (await (await fetch(`${demoRuntime().prometheusUrl}/api/v1/query_range?${params}`)).json()) as {
      data: { result: { values: [number, string][] }[] };
    };
    const tokens = answer.data.result[0]!.values.reduce((sum, [, v]) => sum + Number(v), 0);
    expect(tokens).toBeGreaterThan(0);
    expect(Math.abs(chat.promptTokens! + chat.generatedTokens! - tokens) / tokens).toBeLessThan(1e-9);
    const expected = new Decimal(chat.cost).dividedBy(tokens).times(1e6);
    expect(new Decimal(chat.costPer1MTokens!).minus(expected).abs().toNumber()).toBeLessThan(1e-8);
  });
});
