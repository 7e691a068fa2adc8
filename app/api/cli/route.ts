import { z } from 'zod';
import { runCliCommand } from '@/server/cli/commands';
import type { CliStreamLine } from '@/server/cli/io';
import { isCliToken } from '@/server/cli/token';
import { getDatabase } from '@/server/db/client';
import { DomainError } from '@/server/errors';
import { route } from '@/server/http/route';
import { logger } from '@/server/observability/logger';
import { burnrateHome } from '@/server/paths';

export const dynamic = 'force-dynamic';

const printable = (name: string, max: number) =>
  z
    .string()
    .max(max, `${name}: at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${name}: control characters are not allowed`);

const requestSchema = z.object({
  argv: z.array(printable('argv', 4096)).min(1, 'argv: name a command').max(256),
  cwd: printable('cwd', 4096),
  user: printable('user', 64),
});

/**
 * POST /api/cli: runs a `npm run burnrate` command in the app for the local CLI, which proves
 * itself with the token the app wrote to `<home>/cli.json` (mode 0600). Answers NDJSON lines as
 * the command writes them, then `{ "exitCode": n }`.
 */
export const POST = route('/api/cli', async (request, { requestId }) => {
  if (!isCliToken(burnrateHome(), request.headers.get('authorization'))) {
    logger().warn({ requestId }, 'CLI request without this app’s token refused');
    throw new DomainError('UNAUTHENTICATED', 'The CLI token is missing or not this app’s.', 'authorization');
  }
  const parsed = requestSchema.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('BAD_INPUT', issue?.message ?? 'invalid body', issue?.path.join('.') || 'body');
  }
  const { argv, cwd, user } = parsed.data;
  const database = await getDatabase();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: CliStreamLine): void => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      const io = {
        out: (text: string) => send({ stream: 'out', text }),
        err: (text: string) => send({ stream: 'err', text }),
      };
      let exitCode: number;
      try {
        exitCode = await runCliCommand(argv, { io, database, actor: `cli:${user}`, cwd });
      } catch (error) {
        logger().error({ err: error, requestId, command: argv[0] }, 'CLI command failed in the app');
        io.err(
          `${argv[0]} failed: ${error instanceof DomainError ? error.message : `internal error (request ${requestId})`}`,
        );
        exitCode = 1;
      }
      send({ exitCode });
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
});
