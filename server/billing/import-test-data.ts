// Files with one defect and a view of the database, shared by the import tests.
import Papa from 'papaparse';
import { queryBillingExplorer } from '@/server/db/billing-explorer';
import { listImports } from '@/server/db/billing-imports';
import { listBillingLines } from '@/server/db/billing-lines';
import type { Database } from '@/server/db/client';
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
