import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { appConfig } from '@/server/config';
import type { Database } from '@/server/db/client';
import { ImportRejectedError } from './errors';
import { importFocusFile, type ImportOptions } from './import';
import { firstFilePart, multipartBoundary } from './multipart';

export interface ImportRequestOptions {
  database: Database;
  /** Expected bearer token; defaults to the BURNRATE_ADMIN_TOKEN environment variable. */
  adminToken?: string;
  /** Set by the caller when it has already authenticated an admin session: no token needed then. */
  sessionActor?: string;
  rollupTagKeys?: ImportOptions['rollupTagKeys'];
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function tokenMatches(header: string | null, expected: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SAFE_NAME = /^[\w.\- ]{1,200}$/;

/**
 * POST /api/billing/imports. Body: multipart/form-data with one file part, or the raw file
 * (any other content type) named by `?name=` or an `X-File-Name` header. Streams to a temp file.
 * 201 imported, 200 already imported, 422 rejected (issues with line, column, value), 401/400/415.
 */
export async function handleBillingImportRequest(request: Request, options: ImportRequestOptions): Promise<Response> {
  if (request.method !== 'POST') return json(405, { error: 'method not allowed' });
  let actor = options.sessionActor;
  if (!actor) {
    const expected = options.adminToken ?? appConfig().adminToken;
    if (!expected)
      return json(401, { error: 'billing imports over HTTP need BURNRATE_ADMIN_TOKEN to be set on the server' });
    if (!tokenMatches(request.headers.get('authorization'), expected))
      return json(401, { error: 'missing or wrong admin token (Authorization: Bearer …)' });
    actor = 'api-token';
  }
  if (!request.body) return json(400, { error: 'empty request body' });
  const contentType = request.headers.get('content-type') ?? '';
  let source: { stream: AsyncIterable<Uint8Array>; name: string };
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    const boundary = multipartBoundary(contentType);
    if (!boundary) return json(400, { error: 'multipart body without a boundary' });
    const part = await firstFilePart(request.body as unknown as AsyncIterable<Uint8Array>, boundary);
    if (!part) return json(400, { error: 'the form has no file part' });
    source = { stream: part.content, name: part.fileName };
  } else {
    const name = new URL(request.url).searchParams.get('name') ?? request.headers.get('x-file-name') ?? 'upload.csv';
    source = { stream: request.body as unknown as AsyncIterable<Uint8Array>, name };
  }
  if (!SAFE_NAME.test(source.name)) source.name = 'upload';
  try {
    const result = await importFocusFile(options.database, source, { actor, rollupTagKeys: options.rollupTagKeys });
    return json(result.status === 'imported' ? 201 : 200, result);
  } catch (error) {
    if (error instanceof ImportRejectedError)
      return json(422, { status: 'rejected', fileName: error.fileName, message: error.message, issues: error.issues });
    if (error instanceof Error && /multipart body ends/.test(error.message)) return json(400, { error: error.message });
    throw error;
  }
}
