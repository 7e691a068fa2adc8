// What a command of `npm run burnrate` writes to: the terminal when it runs in the CLI's own
// process, or the NDJSON stream of POST /api/cli when the running app runs it.
export interface CliIo {
  /** A line of the command's output (stdout). */
  out(line: string): void;
  /** A line of diagnostics or progress (stderr). */
  err(line: string): void;
}

export const terminalIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** One line of POST /api/cli's answer. */
export type CliStreamLine = { stream: 'out' | 'err'; text: string } | { exitCode: number };

/** Thrown for a usage error: exit status 2 with the message. */
export class CliUsageError extends Error {}
