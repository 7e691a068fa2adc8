import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** People who signed in (OIDC, proxy headers or a demo user); the role is refreshed at each sign-in. */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  provider: text('provider', { enum: ['oidc', 'proxy', 'demo'] }).notNull(),
  subject: text('subject').notNull(),
  name: text('name').notNull(),
  email: text('email'),
  groups: jsonb('groups').$type<string[]>().notNull().default([]),
  role: text('role', { enum: ['viewer', 'operator', 'admin'] }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Database sessions: the cookie holds a random token, this table only its SHA-256 (a leaked row signs nobody in). */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
  },
  (table) => [index('sessions_user_idx').on(table.userId), index('sessions_expires_idx').on(table.expiresAt)],
);

/**
 * One row per idempotency key of an action click: the first request inserts it and acts, a
 * repeat finds it and acts not. Lives with auth because it is keyed by who clicked.
 */
export const actionClaims = pgTable(
  'action_claims',
  {
    idempotencyKey: text('idempotency_key').primaryKey(),
    actor: text('actor').notNull(),
    verb: text('verb').notNull(),
    outcome: jsonb('outcome'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('action_claims_created_idx').on(table.createdAt)],
);
