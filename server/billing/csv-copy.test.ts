import { describe, expect, it } from 'vitest';
import { copyLayout } from './copy-layout';
import { CsvCopyEncoder, type CopyBatch } from './csv-copy';
import { ImportRejectedError } from './errors';
import { mapHeader, type ColumnMapping } from './focus-columns';

const HEADER =
  'BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeDescription,ServiceName,ProviderName,BilledCost,EffectiveCost,ListCost,x_Note';

function row(description: string, note = 'n', start = '2025-01-01 00:00:00'): string {
  return `a1,USD,2025-01-01,2025-02-01,${start},2025-01-01 01:00:00,Usage,${description},EC2,AWS,1.5,1.25,2,${note}`;
}

interface Encoded {
  header: string[];
  lines: number[];
  rows: string[][];
  /** Month and file lines of each batch, in the order given. */
  batches: { month: number; lines: number[] }[];
}

/** Encodes `text` fed in chunks of `chunkBytes`, then takes the rest, as the importer does. */
function encode(text: string | Buffer, chunkBytes = 7): Encoded {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const encoder = new CsvCopyEncoder('test.csv');
  const out: Encoded = { header: [], lines: [], rows: [], batches: [] };
  const take = (batch: CopyBatch): void => {
    out.lines.push(...batch.lines);
    out.rows.push(
      ...batch.text
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')),
    );
    out.batches.push({ month: batch.month, lines: [...batch.lines] });
  };
  let started = false;
  const drain = (): void => {
    if (!started) {
      const header = encoder.readHeader();
      if (!header) return;
      out.header = header;
      encoder.start(copyLayout(mapHeader(header) as ColumnMapping), 3);
      started = true;
    }
    for (let batch = encoder.next(); batch; batch = encoder.next()) take(batch);
  };
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    encoder.push(bytes.subarray(at, at + chunkBytes));
    drain();
  }
  encoder.finish();
  drain();
  if (started) for (let batch = encoder.rest(); batch; batch = encoder.rest()) take(batch);
  return out;
}

function rejection(text: string | Buffer, chunkBytes = 7): ImportRejectedError {
  try {
    encode(text, chunkBytes);
  } catch (error) {
    if (error instanceof ImportRejectedError) return error;
    throw error;
  }
  throw new Error('not rejected');
}

describe('CsvCopyEncoder', () => {
  it('numbers physical lines: a quoted newline starts a new line, CRLF or LF, whatever the chunk size', () => {
    const text = [
      HEADER,
      row('"one\nnewline"'),
      row('plain'),
      '',
      row('"two\r\nnew\nlines"'),
      row('"last ""quoted"""'),
    ].join('\r\n');
    for (const chunkBytes of [1, 3, 7, 64, 100_000]) {
      const { lines, rows } = encode(text, chunkBytes);
      // Header 1; row on 2-3; row on 4; blank 5; row on 6-8; row on 9.
      expect(lines, `chunks of ${chunkBytes}`).toEqual([2, 4, 6, 9]);
      expect(rows.map((r) => r[1])).toEqual(['2', '4', '6', '9']);
      expect(rows.map((r) => r[9])).toEqual(['one\\nnewline', 'plain', 'two\\r\\nnew\\nlines', 'last "quoted"']);
    }
  });

  it('writes NULL and empty fields as \\N, quoted or not, and unknown columns as extra JSON', () => {
    const { rows } = encode(
      [HEADER, row('NULL', '"say ""hi""\\ \ttab"'), row('""', 'NULL'), row('"NULL"', '')].join('\n'),
    );
    expect(rows.map((r) => r[9])).toEqual(['\\N', '\\N', '\\N']);
    expect(rows[0]!.at(-1)).toBe('{"x_Note":"say \\\\"hi\\\\"\\\\\\\\ \\\\u0009tab"}');
    expect(JSON.parse(rows[0]!.at(-1)!.replace(/\\\\/g, '\\'))).toEqual({ x_Note: 'say "hi"\\ \ttab' });
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(['\\N', '\\N']);
  });

  it('gathers the rows of each month into batches of that month, whatever their order in the file', () => {
    const text = [
      HEADER,
      row('a', 'n', '2025-01-05 00:00:00'),
      row('b', 'n', '2025-01-31T23:30:00-01:00'),
      row('c', 'n', '2025-01-06 00:00:00'),
    ].join('\n');
    // 2025-01-31T23:30:00-01:00 is 2025-02-01T00:30Z: February.
    expect(encode(text).batches).toEqual([
      { month: Date.UTC(2025, 0, 1), lines: [2, 4] },
      { month: Date.UTC(2025, 1, 1), lines: [3] },
    ]);
  });

  it('reads a header without rows as a file of no lines', () => {
    expect(encode(`${HEADER}\n`)).toMatchObject({ header: HEADER.split(','), lines: [] });
  });

  it.each([
    [
      'a row with a missing field',
      `${HEADER}\n${row('x')}\n${row('y').replace(',AWS', '')}\n`,
      { line: 3, column: null, message: 'expected 14 fields, found 13' },
    ],
    [
      'a quote never closed',
      `${HEADER}\n${row('x')}\n${row('"open\nstill open')}\n`,
      { line: 3, column: 'ChargeDescription', message: 'never closed' },
    ],
    [
      'text after a closing quote',
      `${HEADER}\n${row('"x"y')}\n`,
      { line: 2, column: 'ChargeDescription', message: 'after the closing quote' },
    ],
    [
      'an unreadable ChargePeriodStart',
      `${HEADER}\n${row('"a\nb"')}\n${row('x', 'n', '05/01/2025')}\n`,
      { line: 4, column: 'ChargePeriodStart', message: 'not a valid date-time' },
    ],
  ])('rejects %s with its line and column', (_name, text, expected) => {
    const issue = rejection(text).issues[0]!;
    expect(issue).toMatchObject({ line: expected.line, column: expected.column });
    expect(issue.message).toContain(expected.message);
  });

  it('rejects bytes that are not UTF-8 with line and column', () => {
    const text = `${HEADER}\n${row('"a\nb"')}\n${row('BAD')}\n`;
    const at = text.indexOf('BAD');
    const bad = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0x78, 0xc3, 0x28]),
      Buffer.from(text.slice(at + 3)),
    ]);
    expect(rejection(bad).issues[0]).toMatchObject({ line: 4, column: 'ChargeDescription', message: 'invalid UTF-8' });
  });

  it('rejects a field over 1 MiB, and a record that never ends without holding the rest of the file', () => {
    expect(rejection(`${HEADER}\n${row('x'.repeat(1024 * 1024 + 1))}\n`, 1 << 16).issues[0]).toMatchObject({
      line: 2,
      column: 'ChargeDescription',
    });
    const open = `${HEADER}\n${row('"never closed')}\n${`${row('z')}\n`.repeat(60_000)}`;
    expect(rejection(open, 1 << 16).issues[0]).toMatchObject({
      line: 2,
      message: expect.stringContaining('row is over 4194304 bytes'),
    });
  });
});
