import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listImports } from '@/server/db/billing-imports';
import { createTestDatabase, testDrivers } from '@/server/db/testing';
import { fixtureHeader } from './focus-fixture';
import { importFocusFile } from './import';
import { watchBillingFolder, type FolderWatch } from './watch-folder';

describe('watchBillingFolder', () => {
  let dir = '';
  let watch: FolderWatch | null = null;
  afterEach(() => {
    watch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands over a file only once it stopped growing, and never a .partial one', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-watch-'));
    const handed: string[] = [];
    watch = watchBillingFolder(
      dir,
      async (file) => {
        handed.push(path.basename(file));
      },
      { intervalMs: 3_600_000 },
    );
    const growing = path.join(dir, 'export-2025-03.csv');
    writeFileSync(growing, 'BillingAccountId,BilledCost\n');
    writeFileSync(path.join(dir, 'export-2025-04.csv.partial'), 'BillingAccountId\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'not billing');
    await watch.scanNow();
    expect(handed).toEqual([]);
    appendFileSync(growing, 'a,1\n'); // still being written: size changed since the last scan
    await watch.scanNow();
    expect(handed).toEqual([]);
    await watch.scanNow(); // unchanged across two scans: complete
    expect(handed).toEqual(['export-2025-03.csv']);
    await watch.scanNow();
    expect(handed).toEqual(['export-2025-03.csv']);
    renameSync(path.join(dir, 'export-2025-04.csv.partial'), path.join(dir, 'export-2025-04.csv'));
    await watch.scanNow();
    await watch.scanNow();
    expect(handed).toEqual(['export-2025-03.csv', 'export-2025-04.csv']);
  });

  it('reports a failing import and keeps watching', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-watch-'));
    const errors: string[] = [];
    watch = watchBillingFolder(
      dir,
      async () => {
        throw new Error('rejected');
      },
      {
        intervalMs: 3_600_000,
        onError: (error, file) => errors.push(`${path.basename(file ?? '')}: ${(error as Error).message}`),
      },
    );
    writeFileSync(path.join(dir, 'bad.csv'), 'x\n');
    await watch.scanNow();
    await watch.scanNow();
    expect(errors).toEqual(['bad.csv: rejected']);
  });
});

describe.each(await testDrivers())('a watched folder importing on %s', (driver) => {
  it('imports a FOCUS file with a header and no rows as an import of 0 lines', async () => {
    const database = await createTestDatabase(driver);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-watch-'));
    const errors: unknown[] = [];
    // As the ingest service wires it: each complete file goes to the one import.
    const watch = watchBillingFolder(
      dir,
      async (file) => {
        await importFocusFile(database, { path: file }, { actor: 'watch-folder' });
      },
      { intervalMs: 3_600_000, onError: (error) => errors.push(error) },
    );
    try {
      writeFileSync(path.join(dir, 'export-2025-05.csv'), `${fixtureHeader('1.3').join(',')}\n`);
      await watch.scanNow();
      await watch.scanNow();
      expect(errors).toEqual([]);
      expect(await listImports(database.db)).toMatchObject([
        { fileName: 'export-2025-05.csv', rowCount: 0, actor: 'watch-folder' },
      ]);
    } finally {
      watch.close();
      rmSync(dir, { recursive: true, force: true });
      await database.destroy();
    }
  });
});
