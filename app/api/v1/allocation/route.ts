import { requireUser } from '@/server/auth/resolve-user';
import { costSharingOptions } from '@/server/cost/cost-settings';
import { allocationResponseJson, parseAggregate, parseAllocationWindow } from '@/server/cost/opencost-allocation';
import { costSummary } from '@/server/cost/queries';
import { getDatabase } from '@/server/db/client';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** GET /api/v1/allocation?window=7d&aggregate=namespace[&cluster=C]: the allocation in OpenCost's shape. */
export const GET = route('/api/v1/allocation', async (request) => {
  await requireUser(request, 'viewer');
  const params = new URL(request.url).searchParams;
  const { fromMs, toMs } = parseAllocationWindow(params.get('window'), Date.now());
  const by = parseAggregate(params.get('aggregate'));
  const cluster = params.get('cluster');
  const { db } = await getDatabase();
  const summary = await costSummary(
    db,
    { fromMs, toMs, clusters: cluster ? [cluster] : null, by },
    await costSharingOptions(db),
  );
  return new Response(allocationResponseJson(summary), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
});
