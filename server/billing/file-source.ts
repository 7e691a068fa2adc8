// Where an import's bytes come from: a file on disk, or a stream spooled to a temp file while it
// is hashed (Parquet needs random access, and the hash decides "already imported" before any work).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline as pipelineCallback, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';

export type ImportSource =
  | {
      path: string;
      name?: string;
      /** Known when the caller spooled the file itself while hashing it (an upload): the file is then read once. */
      contentSha256?: string;
    }
  | { stream: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>; name: string };

export type ImportFormat = 'csv' | 'csv.gz' | 'parquet';

export interface LocalFile {
  filePath: string;
  fileName: string;
  bytes: number;
  contentSha256: string;
  format: ImportFormat;
  cleanup(): Promise<void>;
}

async function sniffFormat(filePath: string): Promise<ImportFormat> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.toString('latin1') === 'PAR1') return 'parquet';
    return head[0] === 0x1f && head[1] === 0x8b ? 'csv.gz' : 'csv';
  } finally {
    await handle.close();
  }
}

async function sha256Of(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Writes a stream to a temp file, hashing it on the way: one read of the upload. */
export async function spoolToTempFile(
  stream: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<{ filePath: string; bytes: number; contentSha256: string; cleanup: () => Promise<void> }> {
  const hash = createHash('sha256');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'burnrate-upload-'));
  const filePath = path.join(dir, 'upload');
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  let bytes = 0;
  const input =
    Symbol.asyncIterator in stream
      ? (stream as AsyncIterable<Uint8Array>)
      : Readable.fromWeb(stream as WebReadableStream<Uint8Array>);
  try {
    await pipeline(
      input,
      async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(filePath),
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { filePath, bytes, contentSha256: hash.digest('hex'), cleanup };
}

/** The file to import, with its hash: a file on disk is hashed first (a file imported before costs one read, not an import). */
export async function localFile(source: ImportSource): Promise<LocalFile> {
  if ('path' in source) {
    const { size } = await stat(source.path);
    return {
      filePath: source.path,
      fileName: source.name ?? path.basename(source.path),
      bytes: size,
      contentSha256: source.contentSha256 ?? (await sha256Of(source.path)),
      format: await sniffFormat(source.path),
      cleanup: async () => undefined,
    };
  }
  const spooled = await spoolToTempFile(source.stream);
  try {
    return { ...spooled, fileName: source.name, format: await sniffFormat(spooled.filePath) };
  } catch (error) {
    await spooled.cleanup();
    throw error;
  }
}

/** The file's bytes, gunzipped for csv.gz; `onRead` gets the raw (compressed) bytes read so far. */
export async function* fileBytes(file: LocalFile, onRead: (bytesRead: number) => void): AsyncGenerator<Buffer> {
  let bytesRead = 0;
  const raw = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(file.filePath, { highWaterMark: 1 << 20 })) {
      bytesRead += (chunk as Buffer).length;
      onRead(bytesRead);
      yield chunk as Buffer;
    }
  };
  if (file.format !== 'csv.gz') {
    yield* raw();
    return;
  }
  yield* pipelineCallback(Readable.from(raw()), createGunzip(), () => undefined) as AsyncIterable<Buffer>;
}
