// A file read once, as batches of COPY text: CSV straight from its bytes, Parquet row group by row group.
import { chargeStartMs, encodeCells, monthStartMs, type CopyLayout } from './copy-layout';
import { CsvCopyEncoder, type CopyBatch } from './csv-copy';
import { ImportRejectedError, type ImportIssue } from './errors';
import { fileBytes, type LocalFile } from './file-source';
import { readParquetRows, type ParquetEvent } from './parquet-reader';

export interface CopySource {
  /** The header; a file without one is rejected ("file is empty"). */
  header(): Promise<string[]>;
  /** The rows as COPY text, each batch of one month (a file whose months interleave gives several per month). */
  batches(importId: number, layout: CopyLayout): AsyncGenerator<CopyBatch>;
}

export function copySource(file: LocalFile, onRead: (bytesRead: number) => void): CopySource {
  return file.format === 'parquet' ? new ParquetSource(file) : new CsvSource(file, onRead);
}

class CsvSource implements CopySource {
  private readonly encoder: CsvCopyEncoder;
  private readonly chunks: AsyncIterator<Buffer>;
  private ended = false;

  constructor(
    private readonly file: LocalFile,
    onRead: (bytesRead: number) => void,
  ) {
    this.encoder = new CsvCopyEncoder(file.fileName);
    this.chunks = fileBytes(file, onRead)[Symbol.asyncIterator]();
  }

  /** Feeds the next chunk to the encoder; false at the end of the file. */
  private async pull(): Promise<boolean> {
    let next: IteratorResult<Buffer>;
    try {
      next = await this.chunks.next();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'Z_BUF_ERROR' && code !== 'Z_DATA_ERROR') throw error;
      const issue: ImportIssue = {
        line: this.encoder.line,
        column: null,
        value: null,
        message: `gzip data is cut short or corrupt (${(error as Error).message})`,
      };
      throw new ImportRejectedError(this.file.fileName, [issue]);
    }
    if (next.done) {
      this.ended = true;
      this.encoder.finish();
      return false;
    }
    this.encoder.push(next.value);
    return true;
  }

  async header(): Promise<string[]> {
    for (;;) {
      const header = this.encoder.readHeader();
      if (header) return header;
      if (this.ended)
        throw new ImportRejectedError(this.file.fileName, [
          { line: 1, column: null, value: null, message: 'file is empty' },
        ]);
      await this.pull();
    }
  }

  async *batches(importId: number, layout: CopyLayout): AsyncGenerator<CopyBatch> {
    this.encoder.start(layout, importId);
    for (;;) {
      const batch = this.encoder.next();
      if (batch) yield batch;
      else if (!this.ended) await this.pull();
      else break;
    }
    for (let rest = this.encoder.rest(); rest; rest = this.encoder.rest()) yield rest;
  }
}

class ParquetSource implements CopySource {
  private readonly events: AsyncGenerator<ParquetEvent>;

  constructor(private readonly file: LocalFile) {
    this.events = readParquetRows(file.filePath, file.fileName);
  }

  async header(): Promise<string[]> {
    const first = await this.events.next();
    if (first.done || first.value.kind !== 'header')
      throw new ImportRejectedError(this.file.fileName, [
        { line: 1, column: null, value: null, message: 'file is empty' },
      ]);
    return first.value.header;
  }

  /** A row group's rows, one batch per month. */
  async *batches(importId: number, layout: CopyLayout): AsyncGenerator<CopyBatch> {
    for await (const event of this.events) {
      if (event.kind !== 'rows') continue;
      const months = new Map<number, { text: string; lines: number[] }>();
      for (let i = 0; i < event.rows.length; i++) {
        const row = event.rows[i]!;
        const line = event.lines[i]!;
        const start = chargeStartMs(row[layout.chargeStartIndex] ?? null, line, layout);
        if (typeof start !== 'number') throw new ImportRejectedError(this.file.fileName, [start]);
        const encoded = encodeCells(row, line, importId, layout);
        if (typeof encoded !== 'string') throw new ImportRejectedError(this.file.fileName, [encoded]);
        const month = monthStartMs(start);
        const gathered = months.get(month) ?? { text: '', lines: [] };
        gathered.text += encoded;
        gathered.lines.push(line);
        months.set(month, gathered);
      }
      for (const [month, { text, lines }] of months)
        yield { month, text: Buffer.from(text), lines: Int32Array.from(lines) };
    }
  }
}
