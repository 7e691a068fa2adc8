// `npm run burnrate -- <command>` for cron jobs, CI and scripts (server/cli/commands.ts lists them).
// When an app runs on this home (it left `<home>/cli.json`), the command runs there, over HTTP with
// that file's token (the app holds the embedded database, and its modules are warm); otherwise
// here, on DATABASE_URL or the embedded database. Modules that open the database load only on that second path.
import os from 'node:os';
import { cliUsage, isCliCommand } from '@/server/cli/commands';
import { terminalIo } from '@/server/cli/io';
import { runInApp } from '@/server/cli/remote';
import { databaseIdentity, runningAppEndpoint } from '@/server/cli/token';
import { appConfig } from '@/server/config';
import { burnrateHome } from '@/server/paths';

async function main(argv: string[]): Promise<number> {
  if (!isCliCommand(argv[0])) {
    terminalIo.err(cliUsage());
    return 2;
  }
  const user = os.userInfo().username;
  const cwd = process.cwd();
  const home = burnrateHome();
  const endpoint = runningAppEndpoint(home, databaseIdentity(appConfig().databaseUrl, home));
  if (endpoint) return runInApp(endpoint, { argv, cwd, user }, terminalIo);
  const { getDatabase } = await import('@/server/db/client');
  const { runCliCommand } = await import('@/server/cli/commands');
  const database = await getDatabase();
  try {
    return await runCliCommand(argv, { io: terminalIo, database, actor: `cli:${user}`, cwd });
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
