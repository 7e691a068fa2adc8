import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImports } from '@/server/db/billing-imports';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { fixtureHeader, fixtureRow } from './focus-fixture';
import { handleBillingImportRequest } from './http-import';

const TOKEN = 'test-admin-token-0123456789';
const URL_BASE = 'http://127.0.0.1/api/billing/imports';

function fixtureCsv(rows: number, firstRow: number): string {
  const lines = [fixtureHeader('1.3').join(',')];
  for (let i = firstRow; i < firstRow + rows; i++) lines.push(fixtureRow(i, { rows, version: '1.3' }));
  return `${lines.join('\n')}\n`;
}

/** A multipart body delivered in 5-byte pieces, so that the boundary straddles chunks. */
function multipartRequest(fileName: string, content: string, token: string): Request {
  const boundary = '----burnrate7MA4YWxkTrZu0gW';
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nmonthly\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < body.length; at += 5) controller.enqueue(body.subarray(at, at + 5));
      controller.close();
    },
  });
  return new Request(URL_BASE, {
    method: 'POST',
    body: stream,
    duplex: 'half',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  } as RequestInit);
}

const drivers = await testDrivers();

describe.each(drivers)('POST /api/billing/imports on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('refuses a missing or wrong token and imports nothing', async () => {
    const wrong = await handleBillingImportRequest(multipartRequest('a.csv', fixtureCsv(5, 0), 'nope'), {
      database,
      adminToken: TOKEN,
    });
    expect(wrong.status).toBe(401);
    const none = await handleBillingImportRequest(new Request(URL_BASE, { method: 'POST', body: 'x' }), {
      database,
      adminToken: TOKEN,
    });
    expect(none.status).toBe(401);
    expect(await listImports(database.db)).toHaveLength(0);
  });

  it('imports a streamed multipart upload, then answers "already imported" for the same content', async () => {
    const csv = fixtureCsv(50, 0);
    const first = await handleBillingImportRequest(multipartRequest('march.csv', csv, TOKEN), {
      database,
      adminToken: TOKEN,
    });
    expect(first.status).toBe(201);
    const body = (await first.json()) as { status: string; rowCount: number; fileName: string; focusVersion: string };
    expect(body).toMatchObject({ status: 'imported', rowCount: 50, fileName: 'march.csv', focusVersion: '1.3' });
    const second = await handleBillingImportRequest(multipartRequest('march-again.csv', csv, TOKEN), {
      database,
      adminToken: TOKEN,
    });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { status: string }).status).toBe('already-imported');
  });

  it('takes a raw body and returns 422 with line, column and value for a bad file', async () => {
    const bad = fixtureCsv(3, 101).replace(/,Usage,/, ',Refund,');
    const response = await handleBillingImportRequest(
      new Request(`${URL_BASE}?name=bad.csv`, {
        method: 'POST',
        body: bad,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
      }),
      { database, adminToken: TOKEN },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { issues: { line: number; column: string; value: string }[] };
    expect(body.issues[0]).toMatchObject({ line: 2, column: 'ChargeCategory', value: 'Refund' });
    expect(await listImports(database.db)).toHaveLength(1);
  });

  it('accepts the official sample as a raw body', async () => {
    const response = await handleBillingImportRequest(
      new Request(URL_BASE, {
        method: 'POST',
        body: readFileSync('/work/shared/data/focus/focus-1.0-official-sample.csv'),
        headers: { authorization: `Bearer ${TOKEN}`, 'x-file-name': 'sample.csv' },
      }),
      { database, adminToken: TOKEN },
    );
    expect(response.status).toBe(201);
  });

  it('imports an upload with a header and no rows as an import of 0 lines', async () => {
    const response = await handleBillingImportRequest(
      multipartRequest('empty-month.csv', `${fixtureHeader('1.3').join(',')}\n`, TOKEN),
      { database, adminToken: TOKEN },
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      status: 'imported',
      rowCount: 0,
      totals: {},
      fileName: 'empty-month.csv',
    });
  });
});
