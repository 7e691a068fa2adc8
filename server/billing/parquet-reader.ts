// Parquet FOCUS reader: one row group in memory at a time; DECIMAL columns decoded exactly.
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, type FileMetaData } from 'hyparquet';
import type { Cell } from './copy-layout';
import { ImportRejectedError } from './errors';

/** The header first, then the rows of each row group with their 1-based row numbers. */
export type ParquetEvent = { kind: 'header'; header: string[] } | { kind: 'rows'; rows: Cell[][]; lines: number[] };

/** Unscaled two's-complement big-endian integer → exact decimal text. */
function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const first = bytes[0];
  return first !== undefined && first & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

function cellText(value: unknown, decimalScale: number | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (decimalScale !== undefined) {
    if (value instanceof Uint8Array) return decimalText(bytesToBigInt(value), decimalScale);
    if (typeof value === 'bigint' || typeof value === 'number') return decimalText(BigInt(value), decimalScale);
  }
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'invalid date' : value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
}

/**
 * Hyparquet turns DECIMAL into binary floats; stripping the annotation from a copy of the
 * metadata makes it hand over the unscaled integers, which we scale exactly.
 */
function withRawDecimals(metadata: FileMetaData): { metadata: FileMetaData; scales: Map<string, number> } {
  const scales = new Map<string, number>();
  const schema = metadata.schema.map((element) => {
    const isDecimal = element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL';
    if (!isDecimal) return element;
    scales.set(element.name, element.scale ?? 0);
    return { ...element, converted_type: undefined, logical_type: undefined };
  });
  return { metadata: { ...metadata, schema }, scales };
}

export async function* readParquetRows(filePath: string, fileName: string): AsyncGenerator<ParquetEvent> {
  const file = await asyncBufferFromFile(filePath);
  if (file.byteLength === 0)
    throw new ImportRejectedError(fileName, [{ line: 1, column: null, value: null, message: 'file is empty' }]);
  let original: FileMetaData;
  try {
    original = await parquetMetadataAsync(file);
  } catch (error) {
    throw new ImportRejectedError(fileName, [
      { line: 1, column: null, value: null, message: `not a readable Parquet file (${(error as Error).message})` },
    ]);
  }
  const { metadata, scales } = withRawDecimals(original);
  const header = metadata.schema
    .slice(1)
    .filter((element) => !element.num_children)
    .map((element) => element.name);
  const headerScales = header.map((name) => scales.get(name));
  yield { kind: 'header', header };
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let raw: unknown[][] = [];
    await parquetRead({
      file,
      metadata,
      rowStart,
      rowEnd,
      columns: header,
      utf8: false,
      rowFormat: 'array',
      onComplete: (rows: unknown[][]) => {
        raw = rows;
      },
    });
    const rows: Cell[][] = raw.map((row) => row.map((value, index) => cellText(value, headerScales[index])));
    const lines = rows.map((_, index) => rowStart + index + 1);
    yield { kind: 'rows', rows, lines };
    rowStart = rowEnd;
  }
}
