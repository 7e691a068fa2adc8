// Runs a command in the running app (POST /api/cli with the local token) and replays its output.
import type { CliEndpoint } from './token';
import type { CliIo, CliStreamLine } from './io';

export interface RemoteRequest {
  argv: string[];
  cwd: string;
  user: string;
}

export async function runInApp(endpoint: CliEndpoint, request: RemoteRequest, io: CliIo): Promise<number> {
  const response = await fetch(new URL('/api/cli', endpoint.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    throw new Error(`the running app at ${endpoint.url} refused the command (HTTP ${response.status}): ${text}`);
  }
  const decoder = new TextDecoder();
  let pending = '';
  let exitCode: number | undefined;
  const take = (line: string): void => {
    if (!line) return;
    const message = JSON.parse(line) as CliStreamLine;
    if ('exitCode' in message) exitCode = message.exitCode;
    else if (message.stream === 'out') io.out(message.text);
    else io.err(message.text);
  };
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk as Uint8Array, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  take(pending);
  if (exitCode === undefined) throw new Error(`the running app at ${endpoint.url} ended the answer early`);
  return exitCode;
}
