import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlertEvents } from '@/server/db/alerts';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { DomainError } from '@/server/errors';
import { checkWebhookToken, receiveAlertmanagerWebhook } from './webhook';

function payload(status: 'firing' | 'resolved', endsAt: string) {
  return {
    version: '4',
    groupKey: '{}:{alertname="QueueBacklog"}',
    truncatedAlerts: 0,
    status,
    receiver: 'burnrate',
    groupLabels: { alertname: 'QueueBacklog' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts: [
      {
        status,
        labels: {
          alertname: 'QueueBacklog',
          severity: 'warning',
          cluster: 'us-east-prod',
          namespace: 'llm-serving',
          workload: 'chat-llm',
        },
        annotations: { summary: 'chat-llm has 14 requests waiting' },
        startsAt: '2026-11-24T10:00:00.000Z',
        endsAt,
        generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=x',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
  };
}

describe.each(await testDrivers())('Alertmanager webhook on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('stores a firing alert once however often it is repeated, then its resolution', async () => {
    await receiveAlertmanagerWebhook(database.db, payload('firing', '0001-01-01T00:00:00Z'));
    await receiveAlertmanagerWebhook(database.db, payload('firing', '0001-01-01T00:00:00Z'));
    let events = await listAlertEvents(database.db, 10);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      alertname: 'QueueBacklog',
      status: 'firing',
      endsAt: null,
      cluster: 'us-east-prod',
      namespace: 'llm-serving',
    });

    await receiveAlertmanagerWebhook(database.db, payload('resolved', '2026-11-24T10:07:30.000Z'));
    events = await listAlertEvents(database.db, 10);
    expect(events).toHaveLength(1);
    expect(events[0]!.status).toBe('resolved');
    expect(events[0]!.endsAt?.toISOString()).toBe('2026-11-24T10:07:30.000Z');
  });

  it('refuses what is not a v4 payload, naming the field, and stores nothing', async () => {
    const before = (await listAlertEvents(database.db, 100)).length;
    const bad = { ...payload('firing', ''), version: '3' };
    await expect(receiveAlertmanagerWebhook(database.db, bad)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      where: 'version',
    });
    const noFingerprint = payload('firing', '');
    delete (noFingerprint.alerts[0] as Partial<(typeof noFingerprint.alerts)[0]>).fingerprint;
    await expect(receiveAlertmanagerWebhook(database.db, noFingerprint)).rejects.toMatchObject({
      where: 'alerts.0.fingerprint',
    });
    expect((await listAlertEvents(database.db, 100)).length).toBe(before);
  });
});

describe('webhook token', () => {
  it('is not required when none is configured, and must match when one is', () => {
    expect(() => checkWebhookToken(null, undefined)).not.toThrow();
    expect(() => checkWebhookToken('Bearer s3cret', 's3cret')).not.toThrow();
    expect(() => checkWebhookToken('Bearer wrong!', 's3cret')).toThrow(DomainError);
    expect(() => checkWebhookToken(null, 's3cret')).toThrow(/BURNRATE_ALERTMANAGER_TOKEN/);
  });
});
