// The role middleware through a real tRPC caller and the process database (PGlite in a temp
// BURNRATE_HOME): a viewer's scale is FORBIDDEN and audited as denied; sessions end everywhere.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import type { SessionUser } from '@/server/auth/session';
import { createSession, deleteUserSessions, findSessionUser } from '@/server/db/audit-sessions';
import { demoIdentity } from '@/server/auth/demo-users';
import { getDatabase } from '@/server/db/client';
import { listAuditEntries } from '@/server/db/audit';
import { appRouter } from '@/server/routers/_app';
import { createCallerFactory } from '@/server/trpc/init';

const home = mkdtempSync(path.join(os.tmpdir(), 'burnrate-roles-'));
const saved = { home: process.env.BURNRATE_HOME, url: process.env.DATABASE_URL };

beforeAll(async () => {
  process.env.BURNRATE_HOME = home;
  delete process.env.DATABASE_URL;
  // Opening PGlite and migrating is the slow part: do it here, under the hook timeout.
  await getDatabase();
});

afterAll(async () => {
  await (await getDatabase()).close();
  rmSync(home, { recursive: true, force: true });
  process.env.BURNRATE_HOME = saved.home;
  if (saved.url) process.env.DATABASE_URL = saved.url;
});

const viewer: SessionUser = {
  id: 'demo:demo-viewer',
  name: 'demo-viewer',
  role: 'viewer',
  provider: 'demo',
  groups: [],
};
const caller = (user: SessionUser | null, requestId: string) =>
  createCallerFactory(appRouter)({ requestId, user, signal: new AbortController().signal });

const scaleChat = {
  workload: { cluster: 'us-east-prod', namespace: 'llm-serving', kind: 'Deployment' as const, name: 'chat-llm' },
  action: { verb: 'scale' as const, replicas: 5 },
  idempotencyKey: crypto.randomUUID(),
};

describe('roles on action procedures', () => {
  it('answers FORBIDDEN to a viewer calling scale, and audits the attempt as denied', async () => {
    const error = await caller(viewer, 'req-viewer-scale')
      .actions.execute(scaleChat)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('FORBIDDEN');
    const [entry] = await listAuditEntries((await getDatabase()).db, { limit: 1 });
    expect(entry).toMatchObject({
      requestId: 'req-viewer-scale',
      actor: 'demo-viewer',
      role: 'viewer',
      verb: 'scale',
      result: 'denied',
      statusCode: 403,
      cluster: 'us-east-prod',
      namespace: 'llm-serving',
      target: 'deployment/chat-llm',
      parameters: { replicas: 5, procedure: 'actions.execute' },
    });
  });

  it('answers UNAUTHORIZED without a user, and FORBIDDEN to an operator changing replica bounds', async () => {
    expect(
      await caller(null, 'req-anon')
        .actions.preview(scaleChat)
        .catch((e: TRPCError) => e.code),
    ).toBe('UNAUTHORIZED');
    const operator = { ...viewer, id: 'demo:demo-operator', name: 'demo-operator', role: 'operator' as const };
    const bounds = { ...scaleChat.workload, minReplicas: 1, maxReplicas: 3 };
    expect(
      await caller(operator, 'req-op-bounds')
        .actions.setReplicaBounds(bounds)
        .catch((e: TRPCError) => e.code),
    ).toBe('FORBIDDEN');
    const [entry] = await listAuditEntries((await getDatabase()).db, { limit: 1 });
    expect(entry).toMatchObject({ requestId: 'req-op-bounds', result: 'denied', actor: 'demo-operator' });
  });
});

describe('database sessions', () => {
  it('finds the person by cookie token, and signs out everywhere', async () => {
    const { db } = await getDatabase();
    const first = await createSession(db, demoIdentity('operator'));
    const second = await createSession(db, demoIdentity('operator'));
    expect(await findSessionUser(db, first.token)).toMatchObject({
      name: 'demo-operator',
      role: 'operator',
      provider: 'demo',
    });
    expect(await findSessionUser(db, 'not-a-token')).toBeNull();
    expect(await deleteUserSessions(db, 'demo:demo-operator')).toBe(2);
    expect(await findSessionUser(db, first.token)).toBeNull();
    expect(await findSessionUser(db, second.token)).toBeNull();
  });

  it('does not accept an expired session', async () => {
    const { db } = await getDatabase();
    const old = await createSession(db, demoIdentity('admin'), { now: new Date(Date.now() - 13 * 3600_000) });
    expect(await findSessionUser(db, old.token)).toBeNull();
  });
});
