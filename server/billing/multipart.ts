// Streaming multipart/form-data: hands over the first file part without buffering the upload.

class ByteReader {
  private buffer: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(
    private readonly iterator: AsyncIterator<Uint8Array>,
    initial: Buffer,
  ) {
    this.buffer = initial;
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.buffer = this.buffer.length === 0 ? Buffer.from(next.value) : Buffer.concat([this.buffer, next.value]);
    return true;
  }

  /** Reads up to and including `delimiter`; returns what came before it, or null at the end (max `limit` bytes). */
  async readUntil(delimiter: Buffer, limit: number): Promise<Buffer | null> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at !== -1) {
        const before = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return before;
      }
      if (this.buffer.length > limit || !(await this.fill())) return null;
    }
  }

  /** Streams bytes until `delimiter` (consumed); throws when the body ends first. */
  async *streamUntil(delimiter: Buffer): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at !== -1) {
        if (at > 0) yield this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return;
      }
      const safe = this.buffer.length - (delimiter.length - 1);
      if (safe > 0) {
        yield this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
      }
      if (!(await this.fill())) throw new Error('multipart body ends before its closing boundary (upload cut short)');
    }
  }

  async skipUntil(delimiter: Buffer): Promise<void> {
    for await (const chunk of this.streamUntil(delimiter)) void chunk;
  }
}

export interface FilePart {
  fileName: string;
  content: AsyncGenerator<Buffer>;
}

export function multipartBoundary(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** The first part with a filename, as a stream; null when the form has none. */
export async function firstFilePart(body: AsyncIterable<Uint8Array>, boundary: string): Promise<FilePart | null> {
  // The body starts with "--boundary"; with a CRLF in front every delimiter looks the same.
  const reader = new ByteReader(body[Symbol.asyncIterator](), Buffer.from('\r\n'));
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  if ((await reader.readUntil(delimiter, 64 * 1024)) === null) return null;
  for (;;) {
    const afterDelimiter = await reader.readUntil(Buffer.from('\r\n'), 64 * 1024);
    if (afterDelimiter === null || afterDelimiter.toString('latin1').startsWith('--')) return null;
    const headers = await reader.readUntil(Buffer.from('\r\n\r\n'), 16 * 1024);
    if (headers === null) return null;
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers.toString('utf8'))?.[0] ?? '';
    const fileName = /filename\*?=(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
    if (fileName) {
      const name = fileName[1] ?? fileName[2] ?? 'upload';
      return { fileName: name.split(/[\\/]/).pop() || 'upload', content: reader.streamUntil(delimiter) };
    }
    await reader.skipUntil(delimiter);
  }
}
