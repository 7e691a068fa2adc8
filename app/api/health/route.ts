import { checkHealth } from '@/server/health';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route('/api/health', async () => {
  const report = await checkHealth();
  const databaseUp = report.checks.database?.status === 'ok';
  return Response.json(report, { status: databaseUp ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
