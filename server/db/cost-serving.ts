import 'server-only';
import type { PodServingHour } from '@/server/cost/inputs/serving-usage';
import { withBulkTransaction } from './billing-copy';
import type { Database } from './client';

// Requests and tokens per serving pod-hour, replaced a range of hours at a time like the cost
// results (cost-results.ts), so a re-run day never counts twice. A few hundred rows an hour: one
// insert from arrays, no COPY.

/** Replaces the serving hours [fromMs, toMs) of a cluster with `rows`; returns how many were written. */
export async function replaceServingHours(
  database: Database,
  cluster: string,
  fromMs: number,
  toMs: number,
  rows: readonly PodServingHour[],
): Promise<number> {
  const inRange = rows.filter((r) => r.hourStartMs >= fromMs && r.hourStartMs < toMs);
  return withBulkTransaction(database, async (tx) => {
    await tx.query(`delete from cost_serving_hours where cluster = $1 and hour >= $2 and hour < $3`, [
      cluster,
      new Date(fromMs).toISOString(),
      new Date(toMs).toISOString(),
    ]);
    if (inRange.length === 0) return 0;
    await tx.query(
      `insert into cost_serving_hours (hour, cluster, namespace, pod, server, requests, prompt_tokens, generated_tokens)
       select h, $1, n, p, s, r, pt, gt
       from unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::float8[])
         as t(h, n, p, s, r, pt, gt)`,
      [
        cluster,
        inRange.map((r) => new Date(r.hourStartMs).toISOString()),
        inRange.map((r) => r.namespace),
        inRange.map((r) => r.pod),
        inRange.map((r) => r.server),
        inRange.map((r) => r.requests),
        inRange.map((r) => r.promptTokens),
        inRange.map((r) => r.generatedTokens),
      ],
    );
    return inRange.length;
  });
}
