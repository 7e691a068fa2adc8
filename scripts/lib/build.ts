// Builds the app only when its inputs changed since the last build (`npm run demo` twice in a
// row must not rebuild). scripts/start-app.ts serves the output in .next.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from './processes';

const inputs = [
  'app',
  'components',
  'lib',
  'server',
  'drizzle',
  'public',
  'next.config.ts',
  'proxy.ts',
  'instrumentation.ts',
  'package-lock.json',
  'tsconfig.json',
];

function listFiles(root: string, entry: string, files: string[]): void {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const child of readdirSync(full).sort()) listFiles(root, path.join(entry, child), files);
  } else if (!/\.test\.tsx?$/.test(entry)) {
    files.push(entry);
  }
}

export function buildInputsHash(root: string): string {
  const files: string[] = [];
  for (const entry of inputs) listFiles(root, entry, files);
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(root, file)));
  return hash.digest('hex');
}

/** Written by `next build` last: its presence means a complete build. */
export function buildIdPath(root: string): string {
  return path.join(root, '.next/BUILD_ID');
}

export async function ensureBuild(root: string, log: (line: string) => void = console.log): Promise<void> {
  const stampPath = path.join(root, '.next/burnrate-build-inputs.sha256');
  const hash = buildInputsHash(root);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash && existsSync(buildIdPath(root))) {
    log('build: up to date');
    return;
  }
  log('build: building the app (next build)…');
  const code = await runCommand('npx', ['next', 'build'], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  writeFileSync(stampPath, hash);
}
