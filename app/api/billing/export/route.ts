import { billingFiltersOf, readBillingView } from '@/app/billing/search-params';
import { exportExplorerCsv, exportLinesCsv } from '@/server/billing/csv-export';
import { exploreBilling } from '@/server/billing/ingest-service';
import { requireUser } from '@/server/auth/resolve-user';
import { billingExplorerInputSchema } from '@/server/db/billing-explorer';
import { iterateBillingLines } from '@/server/db/billing-lines';
import { getDatabase } from '@/server/db/client';
import { DomainError } from '@/server/errors';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

function csvResponse(body: string | ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
    },
  });
}

/**
 * GET /api/billing/export?kind=view|lines&<the billing page's URL parameters>: the explorer's
 * current view (one row per group and currency) or every line under the filters, streamed.
 */
export const GET = route('billing.export', async (request) => {
  await requireUser(request, 'viewer');
  const params = new URL(request.url).searchParams;
  const view = readBillingView(params, Date.now());
  const parsed = billingExplorerInputSchema.safeParse({
    filters: billingFiltersOf(view),
    groupBy: view.groupBy,
    granularity: view.granularity,
    topGroups: 100,
  });
  if (!parsed.success)
    throw new DomainError(
      'BAD_INPUT',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      'query',
    );
  const stamp = `${view.from}_${view.to}`;
  if (params.get('kind') !== 'lines') {
    const groupLabel = parsed.data.groupBy ? parsed.data.groupBy.replace(/^tag:/, 'tag ') : null;
    return csvResponse(
      exportExplorerCsv(await exploreBilling(parsed.data), groupLabel),
      `burnrate-billing-${stamp}.csv`,
    );
  }
  const { db } = await getDatabase();
  const chunks = exportLinesCsv(iterateBillingLines(db, parsed.data.filters));
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return csvResponse(stream, `burnrate-billing-lines-${stamp}.csv`);
});
