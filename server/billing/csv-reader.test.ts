import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsvRows, type ReaderState, type RowEvent } from './csv-reader';
import { ImportRejectedError } from './errors';

/** Feeds `bytes` in small chunks so that rows, quotes and CRLFs straddle chunk boundaries. */
async function* chunks(bytes: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function readAll(bytes: Buffer, size?: number): Promise<{ header: string[]; rows: (string | null)[][]; lines: number[]; state: ReaderState }> {
  const state: ReaderState = { bytesRead: 0, invalidUtf8: false };
  let header: string[] = [];
  const rows: (string | null)[][] = [];
  const lines: number[] = [];
  for await (const event of readCsvRows(chunks(bytes, size), 'test.csv', state) as AsyncGenerator<RowEvent>) {
    if (event.kind === 'header') header = event.header;
    else {
      rows.push(...event.rows);
      lines.push(...event.lines);
    }
  }
  return { header, rows, lines, state };
}

async function rejection(bytes: Buffer): Promise<ImportRejectedError> {
  const error = await readAll(bytes).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImportRejectedError);
  return error as ImportRejectedError;
}

describe('readCsvRows', () => {
  it('strips a BOM, reads CRLF and quoted commas and newlines, and counts physical lines', async () => {
    const text = '\uFEFFA,B\r\n"x, y","multi\r\nline"\r\nNULL,"He said ""hi"""\r\n\r\nlast,1\r\n';
    const { header, rows, lines } = await readAll(Buffer.from(text));
    expect(header).toEqual(['A', 'B']);
    expect(rows).toEqual([['x, y', 'multi\r\nline'], ['NULL', 'He said "hi"'], ['last', '1']]);
    // line 1 header, line 2-3 the two-line row, line 4, line 5 blank, line 6
    expect(lines).toEqual([2, 4, 6]);
  });

  it('reads gzip content whatever the file name', async () => {
    const { rows, state } = await readAll(gzipSync(Buffer.from('A,B\n1,2\n')));
    expect(rows).toEqual([['1', '2']]);
    expect(state.bytesRead).toBeGreaterThan(0);
  });

  it('rejects a quoted field that is never closed, naming its line and column', async () => {
    const error = await rejection(Buffer.from('A,B\n1,2\n3,"unfinished\nstill going'));
    expect(error.issues[0]).toMatchObject({ line: 3, column: 'B' });
    expect(error.issues[0]?.message).toContain('never closed');
  });

  it('rejects gzip cut short', async () => {
    const whole = gzipSync(Buffer.from(`A,B\n${'1,2\n'.repeat(5000)}`));
    const error = await rejection(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(error.issues[0]?.message).toContain('gzip data is cut short');
  });

  it('flags bytes that are not UTF-8 so the row encoder can name the field', async () => {
    const bytes = Buffer.concat([Buffer.from('A,B\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const { rows, state } = await readAll(bytes, 1024);
    expect(state.invalidUtf8).toBe(true);
    expect(rows[0]?.[1]).toBe('caf\uFFFD');
  });

  it('rejects an empty file', async () => {
    const error = await rejection(Buffer.alloc(0));
    expect(error.issues[0]).toMatchObject({ line: 1, message: 'file is empty' });
  });
});
