// The billing router and the upload route through a real tRPC caller, real session cookies and the
// process database (PGlite in a temp BURNRATE_HOME): roles and input validation.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { POST as signInDemo } from '@/app/api/auth/demo/route';
import { POST } from '@/app/api/billing/imports/route';
import type { SessionUser } from '@/server/auth/session';
import { getDatabase } from '@/server/db/client';
import { appRouter } from '@/server/routers/_app';
import { createCallerFactory } from '@/server/trpc/init';

const SAMPLE = '/work/shared/data/focus/focus-1.0-official-sample.csv';
const home = mkdtempSync(path.join(os.tmpdir(), 'burnrate-billing-router-'));
const saved = {
  home: process.env.BURNRATE_HOME,
  url: process.env.DATABASE_URL,
  auth: process.env.BURNRATE_AUTH,
  token: process.env.BURNRATE_ADMIN_TOKEN,
};

beforeAll(async () => {
  process.env.BURNRATE_HOME = home;
  process.env.BURNRATE_AUTH = 'demo';
  delete process.env.DATABASE_URL;
  delete process.env.BURNRATE_ADMIN_TOKEN;
  await getDatabase();
});

afterAll(async () => {
  await (await getDatabase()).close();
  rmSync(home, { recursive: true, force: true });
  for (const [key, value] of Object.entries({
    BURNRATE_HOME: saved.home,
    DATABASE_URL: saved.url,
    BURNRATE_AUTH: saved.auth,
    BURNRATE_ADMIN_TOKEN: saved.token,
  })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const viewer: SessionUser = {
  id: 'demo:demo-viewer',
  name: 'demo-viewer',
  role: 'viewer',
  provider: 'demo',
  groups: [],
};
const caller = (user: SessionUser | null) =>
  createCallerFactory(appRouter)({ requestId: 'req-billing', user, signal: new AbortController().signal });
const september = { from: '2024-09-01', to: '2024-10-01' };

async function upload(role: 'viewer' | 'admin', body: string, jobId: string): Promise<Response> {
  // A real session through the demo sign-in route, as the browser gets one.
  const signIn = await signInDemo(
    new Request('http://127.0.0.1/api/auth/demo', {
      method: 'POST',
      body: new URLSearchParams({ role, returnTo: '/billing' }),
    }),
    { params: Promise.resolve({}) },
  );
  const token = /burnrate_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
  expect(token).toBeTruthy();
  const form = new FormData();
  form.append('file', new Blob([body], { type: 'text/csv' }), 'focus-sample.csv');
  const request = new Request('http://127.0.0.1/api/billing/imports', {
    method: 'POST',
    body: form,
    headers: { cookie: `burnrate_session=${token ?? ''}`, 'x-import-id': jobId },
  });
  return POST(request, { params: Promise.resolve({}) });
}

describe('billing router', () => {
  it('answers UNAUTHORIZED without a user and BAD_REQUEST for a malformed filter', async () => {
    expect(
      await caller(null)
        .billing.explorer({ filters: september })
        .catch((e: TRPCError) => e.code),
    ).toBe('UNAUTHORIZED');
    expect(
      await caller(viewer)
        .billing.explorer({ filters: { from: '2024-9-1', to: '2024-10-01' } })
        .catch((e: TRPCError) => e.code),
    ).toBe('BAD_REQUEST');
    expect(
      await caller(viewer)
        .billing.explorer({ filters: september, groupBy: 'colour' as 'provider' })
        .catch((e: TRPCError) => e.code),
    ).toBe('BAD_REQUEST');
    expect(
      await caller(viewer)
        .billing.lines({ filters: september, limit: 5000 })
        .catch((e: TRPCError) => e.code),
    ).toBe('BAD_REQUEST');
  });

  it('refuses an upload from a viewer session (403) and imports nothing', async () => {
    const response = await upload('viewer', readFileSync(SAMPLE, 'utf8'), 'job-viewer-0001');
    expect(response.status).toBe(403);
    expect((await caller(viewer).billing.imports({})).imports).toEqual([]);
  });

  it('imports an admin upload through the queue: progress by job id, then the rows in the explorer', async () => {
    const response = await upload('admin', readFileSync(SAMPLE, 'utf8'), 'job-admin-0001');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'imported', rowCount: 1000 });
    expect(await caller(viewer).billing.importProgress({ id: 'job-admin-0001' })).toMatchObject({
      state: 'imported',
      actor: 'demo-admin',
    });
    const { imports } = await caller(viewer).billing.imports({});
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ fileName: 'focus-sample.csv', rowCount: 1000, actor: 'demo-admin' });
    const explorer = await caller(viewer).billing.explorer({ filters: september, groupBy: 'provider' });
    expect(explorer.groups.map((g) => g.group).sort()).toEqual(['AWS', 'Microsoft', 'Oracle']);
    const page = await caller(viewer).billing.lines({ filters: { ...september, provider: ['AWS'] }, limit: 10 });
    expect(page.lines).toHaveLength(10);
    expect(page.lines.every((line) => line.providerName === 'AWS')).toBe(true);
    const options = await caller(viewer).billing.filterOptions(september);
    expect(options.provider).toEqual(['AWS', 'Microsoft', 'Oracle']);
  });

  it('answers 200 "already imported" for the same file again, and 422 with the column for a file missing one', async () => {
    const again = await upload('admin', readFileSync(SAMPLE, 'utf8'), 'job-admin-0002');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'already-imported' });
    const withoutBilledCost = readFileSync(SAMPLE, 'utf8').replace('"BilledCost"', '"NotBilledCost"');
    const rejected = await upload('admin', withoutBilledCost, 'job-admin-0003');
    expect(rejected.status).toBe(422);
    const body = (await rejected.json()) as { issues: { column: string | null }[] };
    expect(body.issues.map((issue) => issue.column)).toContain('BilledCost');
    expect((await caller(viewer).billing.imports({})).imports).toHaveLength(1);
  });

  it('imports an upload with a header and no rows as an import of 0 lines (a month without charges)', async () => {
    const header = readFileSync(SAMPLE, 'utf8').split('\n')[0]!;
    const response = await upload('admin', `${header}\n`, 'job-admin-0004');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'imported', rowCount: 0, totals: {} });
    const { imports } = await caller(viewer).billing.imports({});
    expect(imports.map((i) => i.rowCount)).toEqual([0, 1000]);
  });
});
