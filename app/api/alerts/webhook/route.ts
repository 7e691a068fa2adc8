import { checkWebhookToken, receiveAlertmanagerWebhook } from '@/server/alerts/webhook';
import { appConfig } from '@/server/config';
import { getDatabase } from '@/server/db/client';
import { DomainError } from '@/server/errors';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export const POST = route('/api/alerts/webhook', async (request) => {
  checkWebhookToken(request.headers.get('authorization'), appConfig().alertmanagerToken);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new DomainError('BAD_INPUT', 'Webhook payload over 4 MiB.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError('BAD_INPUT', 'The webhook body is not JSON.');
  }
  const { db } = await getDatabase();
  return Response.json(await receiveAlertmanagerWebhook(db, body));
});
