// Streaming FOCUS CSV reader (plain or gzip): constant memory, exact physical line numbers.
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import Papa from 'papaparse';
import { ImportRejectedError } from './errors';
import type { Cell } from './row-encoder';

/** A row longer than this can only be an unterminated quote or an oversized field. */
export const MAX_ROW_CHARS = 4 * 1024 * 1024;

export type RowEvent = { kind: 'header'; header: string[] } | { kind: 'rows'; rows: Cell[][]; lines: number[] };

export interface ReaderState {
  /** Raw bytes read from the source so far (compressed bytes for gzip). */
  bytesRead: number;
  /** Bytes that are not UTF-8 were met; they decode to U+FFFD and the row encoder rejects those fields. */
  invalidUtf8: boolean;
}

interface PapaParser {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): Papa.ParseResult<string[]> & { meta: { cursor: number } };
}
const PapaParserClass = (Papa as unknown as { Parser: new (config: Papa.ParseConfig) => PapaParser }).Parser;

function isGzip(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/** Raw bytes, gunzipped when the content starts with the gzip magic number (whatever the file name). */
export async function* decompressed(input: AsyncIterable<Buffer | Uint8Array>, state: ReaderState): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const counted = async function* (): AsyncGenerator<Buffer> {
    let next: IteratorResult<Buffer | Uint8Array> = first;
    while (!next.done) {
      state.bytesRead += next.value.length;
      yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      next = await iterator.next();
    }
  };
  const head = Buffer.from(first.value);
  if (!isGzip(head)) {
    yield* counted();
    return;
  }
  const gunzip = pipeline(Readable.from(counted()), createGunzip(), () => undefined);
  yield* gunzip as AsyncIterable<Buffer>;
}

function countNewlines(row: readonly string[]): number {
  let count = 0;
  for (const field of row) {
    let at = field.indexOf('\n');
    while (at !== -1) {
      count++;
      at = field.indexOf('\n', at + 1);
    }
  }
  return count;
}

/** Yields the header, then batches of rows with the file line each starts on. */
export async function* readCsvRows(input: AsyncIterable<Buffer | Uint8Array>, fileName: string, state: ReaderState): AsyncGenerator<RowEvent> {
  const reject = (line: number, column: string | null, message: string, value: string | null = null): never => {
    throw new ImportRejectedError(fileName, [{ line, column, value, message }]);
  };
  let decoder = new TextDecoder('utf-8', { fatal: true });
  let parser: PapaParser | null = null;
  let header: string[] | null = null;
  let pending = '';
  let nextLine = 1;
  let sawAnyByte = false;

  const parseText = function* (text: string, final: boolean): Generator<RowEvent> {
    if (!parser) {
      const newlineAt = text.indexOf('\n');
      if (newlineAt === -1 && !final) {
        pending = text;
        return;
      }
      parser = new PapaParserClass({ delimiter: ',', quoteChar: '"', newline: newlineAt > 0 && text[newlineAt - 1] === '\r' ? '\r\n' : '\n' });
    }
    const result = parser.parse(text, 0, !final);
    pending = final ? '' : text.slice(result.meta.cursor);
    const maybeQuotedNewlines = text.includes('"');
    const rows: Cell[][] = [];
    const lines: number[] = [];
    const broken = result.errors.find((error) => error.code === 'MissingQuotes');
    for (let i = 0; i < result.data.length; i++) {
      const row = result.data[i]!;
      const line = nextLine;
      nextLine += 1 + (maybeQuotedNewlines ? countNewlines(row) : 0);
      if (broken && broken.row === i) {
        reject(line, header?.[row.length - 1] ?? null, 'quoted field is never closed (file truncated?)');
      }
      if (row.length === 1 && row[0] === '') continue;
      if (!header) {
        header = row;
        yield { kind: 'header', header: row };
        continue;
      }
      rows.push(row);
      lines.push(line);
    }
    if (rows.length > 0) yield { kind: 'rows', rows, lines };
    if (pending.length > MAX_ROW_CHARS) {
      reject(nextLine, null, `row is over ${MAX_ROW_CHARS} characters (unterminated quote, or a field over 1 MiB)`);
    }
  };

  try {
    for await (const chunk of decompressed(input, state)) {
      if (chunk.length > 0) sawAnyByte = true;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        state.invalidUtf8 = true;
        decoder = new TextDecoder('utf-8');
        text = decoder.decode(chunk, { stream: true });
      }
      yield* parseText(pending + text, false);
    }
  } catch (error) {
    if (error instanceof ImportRejectedError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      reject(nextLine, null, `gzip data is cut short or corrupt (${(error as Error).message})`);
    }
    throw error;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    state.invalidUtf8 = true;
    tail = '\uFFFD';
  }
  yield* parseText(pending + tail, true);
  if (!sawAnyByte || !header) reject(1, null, 'file is empty');
}
