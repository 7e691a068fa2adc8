import { auditCsv, auditFilterSchema, searchAuditLog } from '@/server/actions/audit-log';
import { requireUser } from '@/server/auth/resolve-user';
import { DomainError } from '@/server/errors';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const MAX_ROWS = 50_000;

/** GET /api/audit.csv?search=&verb=&cluster=&results=denied,failed: the audit log as the Audit page filters it. */
export const GET = route('audit.csv', async (request) => {
  await requireUser(request, 'viewer');
  const params = new URL(request.url).searchParams;
  const parsed = auditFilterSchema.safeParse({
    cluster: params.get('cluster') || undefined,
    namespace: params.get('namespace') || undefined,
    target: params.get('target') || undefined,
    verb: params.get('verb') || undefined,
    actor: params.get('actor') || undefined,
    search: params.get('search') || undefined,
    results: params.get('results')?.split(',').filter(Boolean) || undefined,
  });
  if (!parsed.success)
    throw new DomainError(
      'BAD_INPUT',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      'query',
    );
  const csv = auditCsv(await searchAuditLog(parsed.data, MAX_ROWS));
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="burnrate-audit.csv"',
      'cache-control': 'no-store',
    },
  });
});
