// FOCUS CSV (RFC 4180) cut into records and fields over the bytes themselves, numbering physical
// lines as a person counts them (a quoted newline starts a new line). No string is made per field.
import { ImportRejectedError, type ImportIssue } from './errors';
import { MAX_FIELD_BYTES } from './copy-layout';

/** A record longer than this can only be an unterminated quote or an oversized field. */
export const MAX_RECORD_BYTES = 4 * MAX_FIELD_BYTES;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export class CsvRecords {
  /** The physical line the next record starts on. */
  line = 1;
  header: string[] | null = null;
  protected buf: Buffer = Buffer.alloc(0);
  protected pos = 0;
  protected final = false;
  /** Fields of the record `scan` found: byte ranges, and 1 = quoted, 3 = quoted with doubled quotes. */
  protected starts = new Int32Array(64);
  protected ends = new Int32Array(64);
  protected quoted = new Uint8Array(64);
  protected count = 0;

  constructor(protected readonly fileName: string) {}

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** No more input: a last record without a newline is whole. */
  finish(): void {
    this.final = true;
  }

  /** Reads the header once its record is whole (blank lines before it are skipped); null until then. */
  readHeader(): string[] | null {
    while (!this.header) {
      const end = this.scan();
      if (end < 0) return null;
      const blank = this.count === 1 && this.ends[0] === this.starts[0] && !this.quoted[0];
      if (!blank) {
        this.header = Array.from({ length: this.count }, (_, i) => {
          const text = this.buf.toString('utf8', this.starts[i], this.ends[i]);
          return this.quoted[i] ? text.replace(/""/g, '"') : text;
        });
      }
      this.line += 1 + this.newlines(0, this.count);
      this.pos = end;
    }
    return this.header;
  }

  protected reject(issue: ImportIssue): never {
    throw new ImportRejectedError(this.fileName, [issue]);
  }

  /** Newlines inside the quoted fields first..last-1 of the current record. */
  protected newlines(first: number, last: number): number {
    let count = 0;
    for (let f = first; f < last; f++) {
      if (!this.quoted[f]) continue;
      for (
        let at = this.buf.indexOf(LF, this.starts[f]);
        at !== -1 && at < this.ends[f]!;
        at = this.buf.indexOf(LF, at + 1)
      )
        count++;
    }
    return count;
  }

  /** Finds the fields of the record at `pos`; returns the index after it, or -1 when more input is needed. */
  protected scan(): number {
    const buf = this.buf;
    const len = buf.length;
    let i = this.pos;
    let n = 0;
    if (i >= len) return -1;
    for (;;) {
      if (n === this.starts.length) this.growFields();
      if (i < len && buf[i] === QUOTE) {
        let j = i + 1;
        let flags = 1;
        for (;;) {
          const q = buf.indexOf(QUOTE, j);
          if (q === -1 || (q + 1 >= len && !this.final)) return this.incomplete(n);
          if (buf[q + 1] === QUOTE) {
            flags = 3;
            j = q + 2;
            continue;
          }
          this.starts[n] = i + 1;
          this.ends[n] = q;
          this.quoted[n] = flags;
          i = q + 1;
          break;
        }
      } else {
        const s = i;
        while (i < len && buf[i] !== COMMA && buf[i] !== LF) i++;
        if (i >= len && !this.final) return this.incomplete(n);
        this.starts[n] = s;
        this.ends[n] = i > s && buf[i - 1] === CR ? i - 1 : i;
        this.quoted[n] = 0;
      }
      n++;
      this.count = n;
      if (i >= len) return len;
      const b = buf[i];
      if (b === COMMA) i++;
      else if (b === LF) return i + 1;
      else if (b === CR && i + 1 < len && buf[i + 1] === LF) return i + 2;
      else if (b === CR && i + 1 >= len) {
        if (!this.final) return this.incomplete(n);
        return len;
      } else
        this.reject({
          line: this.line,
          column: this.header?.[n - 1] ?? null,
          value: null,
          message: 'text after the closing quote of a field',
        });
    }
  }

  private incomplete(field: number): number {
    if (this.final) {
      this.reject({
        line: this.line,
        column: this.header?.[field] ?? null,
        value: null,
        message: 'quoted field is never closed (file truncated?)',
      });
    }
    if (this.buf.length - this.pos > MAX_RECORD_BYTES) {
      this.reject({
        line: this.line,
        column: null,
        value: null,
        message: `row is over ${MAX_RECORD_BYTES} bytes (unterminated quote, or a field over 1 MiB)`,
      });
    }
    return -1;
  }

  private growFields(): void {
    const size = this.starts.length * 2;
    const [starts, ends, quoted] = [new Int32Array(size), new Int32Array(size), new Uint8Array(size)];
    starts.set(this.starts);
    ends.set(this.ends);
    quoted.set(this.quoted);
    [this.starts, this.ends, this.quoted] = [starts, ends, quoted];
  }
}
