// FOCUS CSV records turned into COPY text in one pass over the bytes. Papaparse's strings and cell
// arrays cost 2/3 of a 1M-line import in garbage collection; here no string is made per cell.
import { isUtf8 } from 'node:buffer';
import { CsvRecords } from './csv-records';
import {
  categoryIssue,
  chargeStartMs,
  MAX_FIELD_BYTES,
  monthStartMs,
  ROLE_COPY,
  ROLE_EXTRA,
  type CopyLayout,
} from './copy-layout';

const BATCH_BYTES = 1 << 20;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const BACKSLASH = 92;

export interface CopyBatch {
  /** Start of the UTC month of every row in `text`: the month table it goes to. */
  month: number;
  /** COPY text of whole rows. */
  text: Buffer;
  /** The file line of each row in `text`. */
  lines: Int32Array;
}

/** The COPY text of one month gathered so far. */
interface MonthText {
  month: number;
  out: Buffer;
  bytes: number;
  lines: Int32Array;
  count: number;
}

/** Months gathered at once: a file whose months interleave still sends about 1 MB per COPY statement. */
const MAX_OPEN_MONTHS = 12;

export class CsvCopyEncoder extends CsvRecords {
  private layout: CopyLayout | null = null;
  private importId = Buffer.alloc(0);
  private extra: Buffer = Buffer.allocUnsafe(1 << 16);
  private lastChargeText = '';
  private lastMonth = 0;
  private lastCategory = '';
  private readonly open = new Map<number, MonthText>();

  start(layout: CopyLayout, importId: number): void {
    this.layout = layout;
    this.importId = Buffer.from(String(importId));
  }

  /** Encodes whole records until one month has about 1 MB of text (its batch) or the input runs out (null). */
  next(): CopyBatch | null {
    const layout = this.layout!;
    for (;;) {
      const end = this.scan();
      if (end < 0) return null;
      const line = this.line;
      if (this.count === 1 && this.ends[0] === this.starts[0] && !this.quoted[0]) {
        this.line++;
        this.pos = end;
        continue;
      }
      if (this.count !== layout.header.length)
        this.reject({
          line,
          column: null,
          value: null,
          message: `expected ${layout.header.length} fields, found ${this.count}`,
        });
      this.checkCategory(line, layout);
      const month = this.monthOf(line, layout);
      let text = this.open.get(month);
      if (!text) {
        if (this.open.size >= MAX_OPEN_MONTHS) return this.take(this.open.values().next().value!);
        text = {
          month,
          out: Buffer.allocUnsafe(BATCH_BYTES + (1 << 16)),
          bytes: 0,
          lines: new Int32Array(4096),
          count: 0,
        };
        this.open.set(month, text);
      }
      const need = 8 * (end - this.pos) + 64 + 24 * layout.header.length;
      if (text.bytes + need > text.out.length) {
        if (text.bytes > 0) return this.take(text);
        text.out = Buffer.allocUnsafe(need);
      }
      if (text.count === text.lines.length) {
        const grown = new Int32Array(text.count * 2);
        grown.set(text.lines);
        text.lines = grown;
      }
      text.lines[text.count++] = line;
      text.bytes = this.encodeRecord(text.out, text.bytes, line, layout);
      this.line = line + 1 + this.newlines(0, this.count);
      this.pos = end;
      if (text.bytes >= BATCH_BYTES) return this.take(text);
    }
  }

  /** After the last `next`: the text still gathered, one month per call; null when none is left. */
  rest(): CopyBatch | null {
    const text = this.open.values().next().value;
    return text ? this.take(text) : null;
  }

  private take(text: MonthText): CopyBatch {
    this.open.delete(text.month);
    return { month: text.month, text: text.out.subarray(0, text.bytes), lines: text.lines.subarray(0, text.count) };
  }

  private monthOf(line: number, layout: CopyLayout): number {
    const i = layout.chargeStartIndex;
    const text = this.buf.toString('latin1', this.starts[i], this.ends[i]);
    if (text === this.lastChargeText) return this.lastMonth;
    const epochMs = chargeStartMs(text, line, layout);
    if (typeof epochMs !== 'number') return this.reject(epochMs);
    this.lastChargeText = text;
    this.lastMonth = monthStartMs(epochMs);
    return this.lastMonth;
  }

  private checkCategory(line: number, layout: CopyLayout): void {
    const i = layout.categoryIndex;
    const text = this.buf.toString('utf8', this.starts[i], this.ends[i]);
    if (text === this.lastCategory) return;
    const issue = categoryIssue(this.quoted[i] === 3 ? text.replace(/""/g, '"') : text, line, layout);
    if (issue) this.reject(issue);
    this.lastCategory = text;
  }

  /** Writes the current record as a COPY line at `o`; returns the new end. */
  private encodeRecord(out: Buffer, o: number, line: number, layout: CopyLayout): number {
    const buf = this.buf;
    o += this.importId.copy(out, o);
    out[o++] = 9;
    o += out.write(String(line), o, 'latin1');
    let e = 0;
    for (let f = 0; f < this.count; f++) {
      const role = layout.roles[f];
      if (role !== ROLE_COPY && role !== ROLE_EXTRA) continue;
      const s = this.starts[f]!;
      const end = this.ends[f]!;
      if (end - s > MAX_FIELD_BYTES) {
        this.reject({
          line,
          column: layout.header[f] ?? null,
          value: `${buf.toString('utf8', s, s + 40)}…`,
          message: `field is over ${MAX_FIELD_BYTES} bytes`,
        });
      }
      const missing =
        end === s || (end - s === 4 && buf[s] === 78 && buf[s + 1] === 85 && buf[s + 2] === 76 && buf[s + 3] === 76);
      if (role === ROLE_COPY) {
        out[o++] = 9;
        if (missing) {
          out[o++] = BACKSLASH;
          out[o++] = 78;
          continue;
        }
        const doubled = this.quoted[f] === 3;
        let high = 0;
        for (let k = s; k < end; k++) {
          const b = buf[k]!;
          high |= b;
          if (b > BACKSLASH || (b > CR && b !== BACKSLASH && b !== QUOTE)) out[o++] = b;
          else if (b === QUOTE) {
            out[o++] = b;
            if (doubled) k++;
          } else {
            // COPY text escapes: \\, \n, \r, \t; other control bytes pass as they are.
            const escaped = b === BACKSLASH ? BACKSLASH : b === LF ? 110 : b === CR ? 114 : b === 9 ? 116 : -1;
            if (escaped < 0) out[o++] = b;
            else {
              out[o++] = BACKSLASH;
              out[o++] = escaped;
            }
          }
        }
        if (high & 0x80) this.checkUtf8(f, line, layout);
      } else if (!missing) {
        e = this.appendExtra(f, e, line, layout);
      }
    }
    if (layout.columns.at(-1) === 'extra') {
      out[o++] = 9;
      if (e === 0) {
        out[o++] = BACKSLASH;
        out[o++] = 78;
      } else {
        o += this.extra.copy(out, o, 0, e);
        out[o++] = 125;
      }
    }
    out[o++] = LF;
    return o;
  }

  /** Appends field f to the row's `extra` object as JSON, COPY-escaped; returns the new end. */
  private appendExtra(f: number, e: number, line: number, layout: CopyLayout): number {
    const buf = this.buf;
    const s = this.starts[f]!;
    const end = this.ends[f]!;
    const key = layout.extraKeys[f]!;
    const need = e + key.length + 8 * (end - s) + 8;
    if (need > this.extra.length) {
      const grown = Buffer.allocUnsafe(need * 2);
      this.extra.copy(grown, 0, 0, e);
      this.extra = grown;
    }
    const x = this.extra;
    const first = e === 0;
    x[e++] = first ? 123 : COMMA;
    e += key.copy(x, e);
    x[e++] = QUOTE;
    const doubled = this.quoted[f] === 3;
    let high = 0;
    for (let k = s; k < end; k++) {
      const b = buf[k]!;
      high |= b;
      // JSON escapes (\" and \\), then COPY's: each backslash doubled.
      if (b === QUOTE || b === BACKSLASH) {
        x[e++] = BACKSLASH;
        x[e++] = BACKSLASH;
        if (b === BACKSLASH) {
          x[e++] = BACKSLASH;
          x[e++] = BACKSLASH;
        } else {
          x[e++] = QUOTE;
          if (doubled) k++;
        }
      } else if (b < 0x20) e += x.write(`\\\\u${b.toString(16).padStart(4, '0')}`, e, 'latin1');
      else x[e++] = b;
    }
    if (high & 0x80) this.checkUtf8(f, line, layout);
    x[e++] = QUOTE;
    return e;
  }

  private checkUtf8(f: number, line: number, layout: CopyLayout): void {
    const bytes = this.buf.subarray(this.starts[f], this.ends[f]);
    if (!isUtf8(bytes))
      this.reject({ line, column: layout.header[f] ?? null, value: bytes.toString('utf8'), message: 'invalid UTF-8' });
  }
}
