import { describe, expect, it } from 'vitest';
import { CsvRecordBlocks, type CsvBlock } from './postgres-fast-path';

/** Feeds `text` in chunks of `chunkBytes` and returns the blocks as strings with their first record. */
function cut(text: string, chunkBytes: number, blockBytes: number): { blocks: { text: string; firstRecord: number }[]; splitter: CsvRecordBlocks } {
  const splitter = new CsvRecordBlocks(blockBytes);
  const bytes = Buffer.from(text);
  const blocks: CsvBlock[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    const block = splitter.push(bytes.subarray(at, at + chunkBytes));
    if (block) blocks.push(block);
  }
  const last = splitter.end();
  if (last) blocks.push(last);
  return { blocks: blocks.map((b) => ({ text: Buffer.concat(b.chunks).toString(), firstRecord: b.firstRecord })), splitter };
}

const CSV = [
  'A,B,Description',
  '1,2,plain',
  '3,4,"a quoted, comma"',
  '5,6,"two\nlines and ""quotes"""',
  '7,8,"three\r\nlines\nhere"',
  '9,10,last',
].join('\n');

describe('CsvRecordBlocks', () => {
  it('cuts only between records, whatever the chunk size, and counts records and their starts', () => {
    const records = ['A,B,Description\n', '1,2,plain\n', '3,4,"a quoted, comma"\n', '5,6,"two\nlines and ""quotes"""\n', '7,8,"three\r\nlines\nhere"\n', '9,10,last'];
    for (const chunkBytes of [1, 2, 3, 5, 7, 13, 64, 1000]) {
      for (const blockBytes of [1, 10, 30, 1000]) {
        const { blocks, splitter } = cut(CSV, chunkBytes, blockBytes);
        expect(blocks.map((b) => b.text).join(''), `chunks ${chunkBytes}, blocks ${blockBytes}`).toBe(CSV);
        expect(splitter.records).toBe(6);
        let record = 0;
        for (const block of blocks) {
          expect(block.firstRecord, `chunks ${chunkBytes}, blocks ${blockBytes}`).toBe(record);
          // Each block is a run of whole records.
          let rest = block.text;
          while (rest.length > 0) {
            expect(rest.startsWith(records[record]!), `chunks ${chunkBytes}, blocks ${blockBytes}: ${JSON.stringify(rest)}`).toBe(true);
            rest = rest.slice(records[record]!.length);
            record++;
          }
        }
        expect(record).toBe(6);
        expect(splitter.longest).toBe(Math.max(...records.map((r) => Buffer.byteLength(r))));
      }
    }
  });

  it('makes blocks of at least the block size (but the last) and one block of a small file', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},"row\n${i}",x`).join('\n');
    const { blocks } = cut(`a,b,c\n${rows}\n`, 4096, 16_384);
    expect(blocks.length).toBeGreaterThan(1);
    blocks.slice(0, -1).forEach((block) => expect(Buffer.byteLength(block.text)).toBeGreaterThanOrEqual(16_384 - 4096));
    expect(cut('a,b\n1,2\n', 4096, 16_384).blocks).toEqual([{ text: 'a,b\n1,2\n', firstRecord: 0 }]);
  });

  it('measures a record that spans chunks, newlines inside quotes included', () => {
    const big = `"${'x\n'.repeat(3000)}"`;
    const { splitter } = cut(`h\n${big}\nshort\n`, 100, 1 << 20);
    expect(splitter.longest).toBe(Buffer.byteLength(big) + 1);
    expect(splitter.records).toBe(3);
  });

  it('gives up on a record over the limit instead of holding the rest of the file (an unclosed quote)', () => {
    const splitter = new CsvRecordBlocks(4096, 10_000);
    expect(splitter.push(Buffer.from('a,b\n1,"never closed\n'))).toBeNull();
    const line = Buffer.from('2,more\n'.repeat(200));
    expect(() => {
      for (let i = 0; i < 20; i++) splitter.push(line);
    }).toThrow(/longer than 10000 bytes/);
    expect(splitter.records).toBe(1);
  });
});
