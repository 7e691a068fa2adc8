// Users and database sessions: who the audit log names. (Its name follows the issue-7 file
// ownership of server/db/audit*; the lead may rename it sessions.ts.)
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { SessionUser } from '@/server/auth/session';
import type { Db } from './client';
import { sessions, users } from './schema';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface SignInIdentity {
  provider: SessionUser['provider'];
  subject: string;
  name: string;
  email?: string;
  groups: string[];
  role: SessionUser['role'];
}

export function userIdOf(identity: Pick<SignInIdentity, 'provider' | 'subject'>): string {
  return `${identity.provider}:${identity.subject}`;
}

/** Records the person (role refreshed from their groups now) and opens a session; returns the cookie token. */
export async function createSession(
  db: Db,
  identity: SignInIdentity,
  options: { userAgent?: string | null; now?: Date } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const id = userIdOf(identity);
  const values = {
    provider: identity.provider,
    subject: identity.subject,
    name: identity.name,
    email: identity.email ?? null,
    groups: identity.groups,
    role: identity.role,
  };
  await db
    .insert(users)
    .values({ id, ...values, lastSignInAt: now })
    .onConflictDoUpdate({ target: users.id, set: { ...values, lastSignInAt: now } });
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId: id,
    expiresAt,
    userAgent: options.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

export async function findSessionUser(db: Db, token: string, now = new Date()): Promise<SessionUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      provider: users.provider,
      groups: users.groups,
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, now)));
  if (!row) return null;
  return { id: row.id, name: row.email ?? row.name, role: row.role, provider: row.provider, groups: row.groups };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** "Sign out everywhere": every session of the person, on every browser, ends now. */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(eq(sessions.userId, userId))
    .returning({ tokenHash: sessions.tokenHash });
  return deleted.length;
}

export async function pruneExpiredSessions(db: Db, now = new Date()): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}
