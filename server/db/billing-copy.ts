import 'server-only';
// Transactions with a bulk COPY FROM for both drivers: pg-copy-streams on Postgres, PGlite's
// documented COPY FROM '/dev/blob' on PGlite.
import { once } from 'node:events';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { Database } from './client';

export interface QueryRows {
  rows: Record<string, unknown>[];
  /** Rows written by an INSERT/UPDATE/COPY. */
  rowCount: number;
}

/** A transaction able to run SQL and to bulk-load COPY text. */
export interface BulkTransaction {
  query(text: string, params?: unknown[]): Promise<QueryRows>;
  /** Starts `COPY <target> FROM STDIN` (text format); `freeze` for a table created in this transaction. */
  copyIn(target: string, options?: { freeze?: boolean }): CopyWriter;
}

export interface CopyWriter {
  /** Whole lines of COPY text. */
  write(data: Buffer): Promise<void>;
  /** Returns the number of rows copied; throws CopyRowError for a row the database refused. */
  end(): Promise<number>;
}

/** A row COPY refused: its line in this COPY's data (1-based), the column and value when known, and why. */
export class CopyRowError extends Error {
  constructor(
    message: string,
    readonly copyLine: number,
    readonly column: string | null,
    readonly value: string | null,
    /** The row as COPY text (the database may cut it short), when the error names no column. */
    readonly row: string | null,
    readonly constraint: string | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'CopyRowError';
  }
}

interface DriverError {
  message?: string;
  code?: string;
  where?: string;
  column?: string;
  constraint?: string;
}

/** The database's error, read for where COPY stopped (its context names the COPY line and column). */
function copyRowError(error: unknown): unknown {
  const e = error as DriverError;
  const where = /COPY \w+, line (\d+)(?:, column (\w+))?(?:: "([\s\S]*)")?/.exec(e?.where ?? '');
  if (!where) return error;
  const [, line, column, quoted] = where;
  return new CopyRowError(
    e.message ?? 'refused',
    Number(line),
    column ?? e.column ?? null,
    column ? (quoted ?? null) : null,
    column ? null : (quoted ?? null),
    e.constraint ?? null,
    e.code ?? null,
  );
}

class PgCopyWriter implements CopyWriter {
  private readonly stream: CopyStreamQuery;
  private readonly finished: Promise<number>;
  /** Finished or failed: the connection has left COPY mode. */
  private settled = false;
  /** The database's error: after it, the stream must not be written or ended (its connection is gone). */
  private failure: unknown = null;

  constructor(connection: pg.PoolClient, text: string) {
    this.stream = connection.query(copyFrom(text));
    this.finished = new Promise((resolve, reject) => {
      this.stream.once('finish', () => {
        this.settled = true;
        resolve(this.stream.rowCount);
      });
      this.stream.once('error', (error) => {
        this.settled = true;
        this.failure = error;
        reject(error);
      });
    });
    this.finished.catch(() => undefined);
  }

  async write(data: Buffer): Promise<void> {
    if (this.failure) throw copyRowError(this.failure);
    if (this.stream.write(data)) return;
    await Promise.race([once(this.stream, 'drain'), this.finished]).catch((error: unknown) => {
      throw copyRowError(error);
    });
  }

  async end(): Promise<number> {
    if (!this.failure) this.stream.end();
    return this.finished.catch((error: unknown) => {
      throw copyRowError(error);
    });
  }

  /** Sends CopyFail: the COPY ends with an error so that the transaction can roll back. */
  async abort(): Promise<void> {
    if (this.settled || this.stream.destroyed) return;
    const closed = new Promise((resolve) => this.stream.once('close', resolve));
    this.stream.destroy(new Error('import aborted'));
    await closed;
  }
}

/** PGlite reads COPY from a Blob: lines are gathered into large blobs, one COPY statement each. */
class PgliteCopyWriter implements CopyWriter {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private rowCount = 0;
  private linesBefore = 0;
  private linesBuffered = 0;

  constructor(
    private readonly tx: Transaction,
    private readonly target: string,
    private readonly withOptions: string,
  ) {}

  async write(data: Buffer): Promise<void> {
    this.chunks.push(data);
    this.bytes += data.length;
    for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) this.linesBuffered++;
    if (this.bytes >= 16 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.bytes === 0) return;
    const blob = new Blob(this.chunks as BlobPart[]);
    this.chunks = [];
    this.bytes = 0;
    try {
      const result = await this.tx.query(`copy ${this.target} from '/dev/blob'${this.withOptions}`, [], { blob });
      this.rowCount += result.affectedRows ?? 0;
    } catch (error) {
      const refused = copyRowError(error);
      // Each blob is its own COPY statement: its line numbers start again at 1.
      if (refused instanceof CopyRowError) {
        const { message, copyLine, column, value, row, constraint, code } = refused;
        throw new CopyRowError(message, copyLine + this.linesBefore, column, value, row, constraint, code);
      }
      throw refused;
    }
    this.linesBefore += this.linesBuffered;
    this.linesBuffered = 0;
  }

  async end(): Promise<number> {
    await this.flush();
    return this.rowCount;
  }
}

/** FREEZE writes rows already frozen: no hint bits to set or freezing by vacuum after the import. */
function copyOptions(options: { freeze?: boolean } | undefined): string {
  return options?.freeze ? ' with (freeze)' : '';
}

/** The driver's client behind a database: the pg Pool for Postgres, the PGlite instance otherwise. */
function driverClient(database: Database): unknown {
  return (database.db as unknown as { $client: unknown }).$client;
}

/** Runs `work` in one transaction; any throw (or the process dying) leaves the database as before. */
export async function withBulkTransaction<T>(
  database: Database,
  work: (tx: BulkTransaction) => Promise<T>,
): Promise<T> {
  const client = driverClient(database);
  if (database.driver === 'pglite') {
    return (client as PGlite).transaction(async (tx) =>
      work({
        query: async (text, params) => {
          const result = await tx.query<Record<string, unknown>>(text, params);
          return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
        },
        copyIn: (target, options) => new PgliteCopyWriter(tx, target, copyOptions(options)),
      }),
    );
  }
  const connection = await (client as pg.Pool).connect();
  const copies: PgCopyWriter[] = [];
  try {
    await connection.query('begin isolation level read committed');
    const result = await work({
      query: async (text, params) => {
        const result = await connection.query(text, params);
        return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
      },
      copyIn: (target, options) => {
        const copy = new PgCopyWriter(connection, `copy ${target} from stdin${copyOptions(options)}`);
        copies.push(copy);
        return copy;
      },
    });
    await connection.query('commit');
    return result;
  } catch (error) {
    for (const copy of copies) await copy.abort();
    await connection.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}
