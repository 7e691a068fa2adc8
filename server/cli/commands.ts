// The commands of `npm run burnrate`, run the same way by the CLI's own process (database opened
// there) and by the running app for POST /api/cli (the app's database).
import type { Database } from '@/server/db/client';
import { CliUsageError, type CliIo } from './io';

export interface CliContext {
  io: CliIo;
  database: Database;
  /** Who runs it, for the audit and the import's record: `cli:<user>`. */
  actor: string;
  /** The caller's working directory: relative paths in arguments are the caller's. */
  cwd: string;
}

export type CliCommand = (args: string[], context: CliContext) => Promise<number>;

interface CommandEntry {
  usage: string;
  load: () => Promise<CliCommand>;
}

const commands: Record<string, CommandEntry> = {
  migrate: {
    usage: `migrate
      Creates the database if it does not exist and applies its migrations, as the app does when it
      starts (a deploy step; the demo launcher runs it while history is generated).`,
    // Opening the database (the CLI's, or the running app's) applies the migrations.
    load:
      async () =>
      async (args, { io, database }) => {
        if (args.length > 0) throw new CliUsageError(`migrate takes no arguments, got ${args.join(' ')}`);
        io.out(`database ready (${database.driver}, ${database.location}), migrations applied`);
        return 0;
      },
  },
  import: {
    usage: `import [--progress] [--format text|json] <file|dir>...
      Imports FOCUS billing exports (CSV, CSV.gz, Parquet; FOCUS 1.0-1.3). A directory imports every
      .csv, .csv.gz, .gz and .parquet file in it, by name. Exit status 1 when any file is rejected.
      --format json prints one JSON object per file and line (status imported, already-imported or
      rejected, with the issues' line, column and value).`,
    load: async () => (await import('./import-command')).importCommand,
  },
  cost: {
    usage: `cost [--from <ISO|now-7d>] [--to <ISO|now>] [--by cluster|team|namespace|workload|pod] [--cluster C]
      [--format json|csv|text]
      The allocated cost of the window by group, with idle and shared rows (or spread, by the setting);
      for serving workloads (--by workload) also requests, tokens, costPer1kRequests, costPer1MTokens.`,
    load: async () => (await import('./cost-command')).costCommand,
  },
  reconcile: {
    usage: `reconcile --day YYYY-MM-DD --cluster C [--format json|text]
      The day's billed EffectiveCost against allocated + idle + shared, the gap and what it is made of.`,
    load: async () => (await import('./cost-command')).reconcileCommand,
  },
};

export function cliUsage(): string {
  return `usage: npm run burnrate -- <command>\n${Object.values(commands)
    .map((c) => `  burnrate ${c.usage}`)
    .join('\n')}`;
}

export function isCliCommand(name: string | undefined): name is string {
  return name !== undefined && Object.hasOwn(commands, name);
}

/** Runs one command; usage errors print the usage and give exit status 2. */
export async function runCliCommand(argv: string[], context: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (!isCliCommand(name)) {
    context.io.err(cliUsage());
    return 2;
  }
  try {
    return await (
      await commands[name]!.load()
    )(args, context);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    context.io.err(`${error.message}\nusage: npm run burnrate -- ${commands[name]!.usage}`);
    return 2;
  }
}
