import path from 'node:path';

/** The repository root; the standalone server changes directory, so the launcher pins it. */
export function projectRoot(): string {
  return process.env.BURNRATE_ROOT ?? process.cwd();
}

/** Where Burnrate keeps its local state (embedded database, demo files): `.burnrate/`. */
export function burnrateHome(): string {
  return process.env.BURNRATE_HOME ?? path.join(projectRoot(), '.burnrate');
}
