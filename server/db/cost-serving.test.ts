import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from './client';
import { createTestDatabase, type TestDatabase } from './testing';
import { prometheusClient } from '@/server/prometheus/client';
import { eq } from '@/server/prometheus/query-builder';
import {
  openMetricsText,
  startPrometheus,
  type PrometheusProcess,
} from '@/server/prometheus/testing/prometheus-process';
import { recordServingUsage } from '@/server/cost/serving-record';

// Two whole hours of a vLLM pod's counters, ending an hour before the last whole hour.
const HOUR = 3600;
const base = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 3 * HOUR;
const times = Array.from({ length: (2 * HOUR) / 15 + 1 }, (_, i) => base + i * 15);
const counter = (name: string, perSecond: number) => ({
  name,
  labels: { cluster: 'c1', namespace: 'llm', pod: 'chat-0' },
  samples: times.map((t): [number, number] => [t, perSecond * (t - base)]),
});

describe('recordServingUsage (real Prometheus, PGlite)', () => {
  let prometheus: PrometheusProcess;
  let database: TestDatabase;
  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetrics: openMetricsText([
        counter('vllm:request_success_total', 2),
        counter('vllm:prompt_tokens_total', 1000),
        counter('vllm:generation_tokens_total', 400),
      ]),
    });
    database = await createTestDatabase('pglite');
  }, 120_000);
  afterAll(async () => {
    await prometheus?.close();
    await database?.destroy();
  });

  it('writes each serving pod-hour, and a second run of the hours replaces them', async () => {
    const client = prometheusClient(prometheus.url);
    const range = [base * 1000, (base + 2 * HOUR) * 1000] as const;
    for (let run = 0; run < 2; run++) {
      expect(await recordServingUsage(database, client, 'c1', [eq('cluster', 'c1')], ...range)).toBe(2);
    }
    const rows = await selectRows<Record<string, unknown>>(
      database.db,
      sql`select server, requests, prompt_tokens as "promptTokens", generated_tokens as "generatedTokens"
        from cost_serving_hours order by hour`,
    );
    // 2 requests, 1,000 prompt and 400 generated tokens a second, for 3,600 s an hour.
    const hour = { server: 'vllm', requests: 7200, promptTokens: 3_600_000, generatedTokens: 1_440_000 };
    expect(rows).toEqual([hour, hour]);
  }, 60_000);
});
