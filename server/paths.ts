import path from 'node:path';
import { appConfig } from '@/server/config';

/** The repository root, pinned by the launcher (scripts/start-app.ts) for code bundled by Next. */
export function projectRoot(): string {
  return appConfig().projectRoot;
}

/** Where Burnrate keeps its local state (embedded database, demo files): `.burnrate/`. */
export function burnrateHome(): string {
  return appConfig().home ?? path.join(projectRoot(), '.burnrate');
}
