import { handleBillingImportRequest } from '@/server/billing/http-import';
import { enqueueImport, recentImports, spoolUpload } from '@/server/billing/ingest-service';
import { firstFilePart, multipartBoundary } from '@/server/billing/multipart';
import { requireUser, resolveUser } from '@/server/auth/resolve-user';
import { roleAtLeast } from '@/server/auth/session';
import { getDatabase } from '@/server/db/client';
import { DomainError } from '@/server/errors';
import { outsideProxy, route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const SAFE_NAME = /^[\w.\- ]{1,200}$/;

/**
 * POST: a FOCUS file from an admin session (multipart, through the import queue, progress under
 * the `x-import-id` header's id) or from a script with `Authorization: Bearer <admin token>`.
 * Answers 201 imported, 200 already imported, 422 rejected with issues (line, column, value).
 */
// Outside the proxy: the upload streams to disk whatever its size (see proxy.ts).
export const POST = outsideProxy(
  route('billing.imports.create', async (request) => {
    const user = await resolveUser(request.headers);
    if (!user || !roleAtLeast(user.role, 'admin')) {
      // Scripts authenticate with the admin token; a signed-in non-admin is refused outright.
      if (request.headers.has('authorization'))
        return handleBillingImportRequest(request, { database: await getDatabase() });
      await requireUser(request, 'admin');
    }
    const boundary = multipartBoundary(request.headers.get('content-type') ?? '');
    if (!boundary || !request.body)
      throw new DomainError('BAD_INPUT', 'Send the file as multipart/form-data.', 'request body');
    const part = await firstFilePart(request.body as unknown as AsyncIterable<Uint8Array>, boundary);
    if (!part) throw new DomainError('BAD_INPUT', 'The form has no file part.', 'request body');
    const upload = await spoolUpload(part.content).catch((error: unknown) => {
      throw new DomainError(
        'BAD_INPUT',
        `The upload stopped before its end (${error instanceof Error ? error.message : String(error)}).`,
        'request body',
      );
    });
    try {
      const fileName = SAFE_NAME.test(part.fileName) ? part.fileName : 'upload';
      const jobId = request.headers.get('x-import-id') ?? undefined;
      const outcome = await enqueueImport(
        upload.filePath,
        fileName,
        user?.name ?? 'admin',
        jobId,
        upload.contentSha256,
      );
      if (outcome.status === 'rejected') return Response.json(outcome, { status: 422 });
      return Response.json(outcome.result, { status: outcome.status === 'imported' ? 201 : 200 });
    } finally {
      await upload.cleanup();
    }
  }),
);

/** GET: past imports, newest first (viewer). */
export const GET = outsideProxy(
  route('billing.imports.list', async (request) => {
    await requireUser(request, 'viewer');
    const limit = Math.min(Math.max(Number(new URL(request.url).searchParams.get('limit') ?? 100) || 100, 1), 500);
    return Response.json({ imports: await recentImports(limit) }, { headers: { 'cache-control': 'no-store' } });
  }),
);
