import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** Liveness: answers while the process serves, whatever the upstreams (those are /api/health). */
export const GET = route('/api/ping', async () => Response.json({ ok: true, service: 'burnrate' }));
