import 'server-only';
import { eq, lt } from 'drizzle-orm';
import type { Db } from './client';
import { actionClaims } from './schema';

export type ClaimOutcome = { auditId: number; result: 'succeeded' | 'failed'; message?: string } | null;

/**
 * Claims an idempotency key for one action. True for the first caller; false when the key was
 * already claimed (a double click, a retry), whatever state the first attempt is in.
 */
export async function claimIdempotencyKey(db: Db, key: string, actor: string, verb: string): Promise<boolean> {
  const inserted = await db
    .insert(actionClaims)
    .values({ idempotencyKey: key, actor, verb })
    .onConflictDoNothing()
    .returning({ key: actionClaims.idempotencyKey });
  return inserted.length === 1;
}

export async function recordClaimOutcome(db: Db, key: string, outcome: NonNullable<ClaimOutcome>): Promise<void> {
  await db.update(actionClaims).set({ outcome }).where(eq(actionClaims.idempotencyKey, key));
}

export async function readClaim(
  db: Db,
  key: string,
): Promise<{ actor: string; verb: string; outcome: ClaimOutcome } | undefined> {
  const [row] = await db.select().from(actionClaims).where(eq(actionClaims.idempotencyKey, key));
  return row ? { actor: row.actor, verb: row.verb, outcome: (row.outcome ?? null) as ClaimOutcome } : undefined;
}

/** Keys only need to outlive a burst of clicks and retries; a day is plenty. */
export async function pruneClaims(db: Db, olderThan: Date): Promise<void> {
  await db.delete(actionClaims).where(lt(actionClaims.createdAt, olderThan));
}
