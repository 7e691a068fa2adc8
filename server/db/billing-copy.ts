import 'server-only';
// Transactions with a bulk "COPY FROM" for both drivers, without pg-copy-streams:
// pg's connection already speaks the CopyData/CopyDone messages; PGlite reads COPY from a Blob.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Database } from './client';

export interface QueryRows {
  rows: Record<string, unknown>[];
  /** Rows written by an INSERT/UPDATE/COPY. */
  rowCount: number;
}

/** A transaction able to run SQL and to bulk-load COPY text lines. */
export interface BulkTransaction {
  query(text: string, params?: unknown[]): Promise<QueryRows>;
  /** Starts `COPY <target> FROM STDIN <options>` (text format unless options say otherwise). */
  copyIn(target: string, options?: string): CopyWriter;
}

export interface CopyWriter {
  /** COPY text lines (or raw CSV bytes for a CSV-format COPY). */
  write(data: string | Buffer): Promise<void>;
  /** Returns the number of rows copied. */
  end(): Promise<number>;
  /** Ends an unfinished COPY with an error so that the transaction can roll back. */
  abort(reason: string): Promise<void>;
}

/** Buffers lines into large chunks: fewer protocol messages (Postgres) or fewer COPY statements (PGlite). */
const CHUNK_CHARS = 1 << 20;
const PGLITE_BLOB_CHARS = 16 << 20;

interface PgConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  query(text: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean; once(event: 'drain', listener: () => void): unknown };
}

/** A pg "submittable" query for COPY FROM STDIN, driven by the client's message loop. */
class PgCopyIn implements CopyWriter {
  private connection: PgConnection | null = null;
  private ready!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => { this.ready = resolve; });
  private settle!: { resolve: (rows: number) => void; reject: (error: Error) => void };
  readonly done = new Promise<number>((resolve, reject) => { this.settle = { resolve, reject }; });
  private error: Error | null = null;
  private rowCount = 0;
  private buffer = '';
  private ended = false;

  constructor(private readonly text: string) {
    this.done.catch(() => undefined);
  }

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: PgConnection): void {
    this.connection = connection;
    this.ready();
  }
  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(/COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
  }
  /** pg drops the active query on an error: no ReadyForQuery reaches it afterwards. */
  handleError(error: Error): void {
    this.error = error;
    this.ready();
    this.settle.reject(error);
  }
  handleReadyForQuery(): void {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.rowCount);
  }
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  async write(data: string | Buffer): Promise<void> {
    if (typeof data !== 'string') {
      if (this.buffer.length > 0) await this.flush();
      return this.send(data);
    }
    this.buffer += data;
    if (this.buffer.length >= CHUNK_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    await this.send(chunk);
  }

  private async send(chunk: Buffer): Promise<void> {
    await this.readyPromise;
    if (this.error) throw this.error;
    const connection = this.connection!;
    connection.sendCopyFromChunk(chunk);
    // sendCopyFromChunk does not report backpressure: without this wait the file piles up in the socket.
    if (connection.stream.writableNeedDrain) {
      await new Promise<void>((resolve) => connection.stream.once('drain', resolve));
    }
  }

  async end(): Promise<number> {
    if (this.buffer.length > 0) await this.flush();
    if (this.error) throw this.error;
    await this.readyPromise;
    this.ended = true;
    this.connection?.endCopyFrom();
    return this.done;
  }

  async abort(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.readyPromise;
    this.connection?.sendCopyFail(reason);
    await this.done.catch(() => undefined);
  }
}

class PgliteCopyIn implements CopyWriter {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private rowCount = 0;
  constructor(private readonly tx: Transaction, private readonly target: string, private readonly options: string) {}

  async write(data: string | Buffer): Promise<void> {
    const lines = typeof data === 'string' ? data : data.toString('utf8');
    this.buffer.push(lines);
    this.bufferedChars += lines.length;
    if (this.bufferedChars >= PGLITE_BLOB_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.bufferedChars === 0) return;
    const blob = new Blob(this.buffer);
    this.buffer = [];
    this.bufferedChars = 0;
    const result = await this.tx.query(`copy ${this.target} from '/dev/blob' ${this.options}`, [], { blob });
    this.rowCount += result.affectedRows ?? 0;
  }

  async end(): Promise<number> {
    await this.flush();
    return this.rowCount;
  }

  async abort(): Promise<void> {
    this.buffer = [];
    this.bufferedChars = 0;
  }
}

/** The driver's client behind a database: the pg Pool for Postgres, the PGlite instance otherwise. */
function driverClient(database: Database): unknown {
  return (database.db as unknown as { $client: unknown }).$client;
}

/** The connection pool of a Postgres database (for work beside a BulkTransaction). */
export function postgresPool(database: Database): pg.Pool {
  if (database.driver !== 'postgres') throw new Error('postgresPool needs a Postgres database');
  return driverClient(database) as pg.Pool;
}

/** COPY FROM STDIN on a Postgres connection of the caller's (outside a BulkTransaction). */
export function startPgCopy(connection: pg.PoolClient, text: string): CopyWriter {
  const copy = new PgCopyIn(text);
  (connection as unknown as { query(submittable: object): unknown }).query(copy);
  return copy;
}

/** Runs `work` in one transaction; any throw (or the process dying) leaves the database as before. */
export async function withBulkTransaction<T>(database: Database, work: (tx: BulkTransaction) => Promise<T>): Promise<T> {
  const client = driverClient(database);
  if (database.driver === 'pglite') {
    return (client as PGlite).transaction(async (tx) =>
      work({
        query: async (text, params) => {
          const result = await tx.query<Record<string, unknown>>(text, params);
          return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
        },
        copyIn: (target, options = '') => new PgliteCopyIn(tx, target, options),
      }),
    );
  }
  const connection = await (client as pg.Pool).connect();
  const copies: CopyWriter[] = [];
  try {
    // Read committed, whatever the server's default: the import reads tables other connections
    // committed while it ran (the fast path's rollups).
    await connection.query('begin isolation level read committed');
    const result = await work({
      query: async (text, params) => {
        const result = await connection.query(text, params);
        return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
      },
      copyIn: (target, options = '') => {
        const copy = startPgCopy(connection, `copy ${target} from stdin ${options}`);
        copies.push(copy);
        return copy;
      },
    });
    await connection.query('commit');
    return result;
  } catch (error) {
    for (const copy of copies) await copy.abort('import aborted');
    await connection.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}
