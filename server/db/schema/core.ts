import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Key/value settings edited by admins (price sheets, PUE, replica bounds, ...). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

/** Every attempted action, whatever its outcome: allowed, denied, failed or succeeded. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    requestId: text('request_id').notNull(),
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    verb: text('verb').notNull(),
    cluster: text('cluster'),
    namespace: text('namespace'),
    target: text('target'),
    parameters: jsonb('parameters').notNull().default({}),
    dryRunDiff: jsonb('dry_run_diff'),
    result: text('result', { enum: ['allowed', 'denied', 'failed', 'succeeded'] }).notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms'),
    message: text('message'),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at),
    index('audit_log_target_idx').on(table.cluster, table.namespace, table.target),
  ],
);
