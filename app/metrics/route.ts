import { route } from '@/server/http/route';
import { appMetrics } from '@/server/observability/metrics';

export const dynamic = 'force-dynamic';

export const GET = route('/metrics', async () => {
  const { registry } = appMetrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
});
