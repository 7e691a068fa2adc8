import path from 'node:path';

/** The repository root, pinned by the launcher (scripts/start-app.ts) for code bundled by Next. */
export function projectRoot(): string {
  return process.env.BURNRATE_ROOT ?? process.cwd();
}

/** Where Burnrate keeps its local state (embedded database, demo files): `.burnrate/`. */
export function burnrateHome(): string {
  return process.env.BURNRATE_HOME ?? path.join(projectRoot(), '.burnrate');
}
