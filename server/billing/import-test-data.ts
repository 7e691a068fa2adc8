// Shared by the import tests: a database and a temp folder per driver, files with one defect, and
// a view of the database.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll } from 'vitest';
import { queryBillingExplorer } from '@/server/db/billing-explorer';
import { listImports } from '@/server/db/billing-imports';
import { listBillingLines } from '@/server/db/billing-lines';
import type { Database } from '@/server/db/client';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@/server/db/testing';
import { fixtureHeader, fixtureRow } from './focus-fixture';

export const EVERYTHING = { from: '2000-01-01', to: '2100-01-01' };

/** Cells of fixture row i as a name → value record, to build files with one defect. */
export function fixtureCells(i: number): Record<string, string> {
  const header = fixtureHeader('1.2');
  const cells = Papa.parse<string[]>(fixtureRow(i, { rows: 0, version: '1.2' })).data[0]!;
  return Object.fromEntries(header.map((name, index) => [name, cells[index]!]));
}

export function csvText(rows: Record<string, string>[], header = fixtureHeader('1.2')): string {
  return `${Papa.unparse({ fields: header, data: rows.map((row) => header.map((name) => row[name] ?? 'NULL')) }, { newline: '\n' })}\n`;
}

export function lineOf(text: string, marker: string): number {
  return text.slice(0, text.indexOf(marker)).split('\n').length;
}

/** What a user sees of the billing data: explorer totals and groups, imports, lines. */
export async function databaseSnapshot(database: Database): Promise<unknown> {
  const explorer = await queryBillingExplorer(database.db, { filters: EVERYTHING, groupBy: 'provider' });
  const imports = await listImports(database.db);
  const lines = await listBillingLines(database.db, EVERYTHING, null, 1000);
  return { totals: explorer.totals, groups: explorer.groups, imports: imports.length, lines: lines.lines.length };
}

export interface ImportTestbed {
  readonly database: TestDatabase;
  /** A temp folder for the files a test writes. */
  readonly dir: string;
}

/** A fresh database on `driver` and a temp folder for the enclosing describe, removed after it. */
export function importTestbed(driver: TestDriver, dirPrefix = 'burnrate-billing-'): ImportTestbed {
  let database: TestDatabase | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    dir = mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  });
  afterAll(async () => {
    await database?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the import testbed is set up in beforeAll: use it inside a test');
    return value;
  };
  return {
    get database() {
      return ready(database);
    },
    get dir() {
      return ready(dir);
    },
  };
}
