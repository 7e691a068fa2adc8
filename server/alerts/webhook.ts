import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { upsertAlertEvents, type AlertEventInput } from '@/server/db/alerts';
import type { Db } from '@/server/db/client';
import { DomainError } from '@/server/errors';

/** Alertmanager's webhook payload, version 4 (the only version it has sent since 0.x). */
const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1),
});

export const webhookPayloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  alerts: z.array(alertSchema).max(10_000),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** Alertmanager writes the zero time for alerts that have not ended. */
function endTime(value: string | undefined): Date | null {
  if (!value || value.startsWith('0001-01-01')) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

export function alertEventsOf(payload: WebhookPayload): AlertEventInput[] {
  return payload.alerts.map((alert) => ({
    fingerprint: alert.fingerprint,
    startsAt: new Date(alert.startsAt),
    endsAt: endTime(alert.endsAt),
    status: alert.status,
    alertname: alert.labels.alertname ?? '(unnamed)',
    severity: alert.labels.severity ?? null,
    cluster: alert.labels.cluster ?? null,
    namespace: alert.labels.namespace ?? null,
    labels: alert.labels,
    annotations: alert.annotations,
    generatorUrl: alert.generatorURL ?? null,
    receiver: payload.receiver,
  }));
}

/** When BURNRATE_ALERTMANAGER_TOKEN is set, the webhook requires it as a bearer token. */
export function checkWebhookToken(authorization: string | null, expected: string | undefined): void {
  if (!expected) return;
  const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new DomainError(
      'UNAUTHENTICATED',
      'The alert webhook needs the bearer token configured in BURNRATE_ALERTMANAGER_TOKEN.',
    );
  }
}

export async function receiveAlertmanagerWebhook(db: Db, body: unknown): Promise<{ received: number }> {
  const parsed = webhookPayloadSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'BAD_INPUT',
      `Not an Alertmanager v4 webhook payload: ${issue?.message ?? 'invalid'}`,
      issue?.path.join('.') || undefined,
    );
  }
  const received = await upsertAlertEvents(db, alertEventsOf(parsed.data));
  return { received };
}
