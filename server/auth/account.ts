import 'server-only';
import { getDatabase } from '@/server/db/client';
import { authMode, type AuthMode, type SessionUser } from './session';
import { deleteUserSessions } from '@/server/db/audit-sessions';

export interface AuthStatus {
  mode: AuthMode | null;
  user: SessionUser | null;
  /** True for the demo's read-only stand-in before anyone picked a demo user. */
  anonymous: boolean;
}

export function authStatus(user: SessionUser | null): AuthStatus {
  return { mode: authMode() ?? null, user, anonymous: user?.id === 'demo:anonymous' };
}

/** Ends every session of the person (every browser); returns how many ended. */
export async function signOutEverywhere(user: SessionUser): Promise<number> {
  if (user.provider === 'proxy') return 0;
  return deleteUserSessions((await getDatabase()).db, user.id);
}
