import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Alert history as Alertmanager reported it to the webhook: one row per firing episode of an
 * alert (fingerprint + start), updated as notifications repeat and when it resolves.
 */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fingerprint: text('fingerprint').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    status: text('status', { enum: ['firing', 'resolved'] }).notNull(),
    alertname: text('alertname').notNull(),
    severity: text('severity'),
    cluster: text('cluster'),
    namespace: text('namespace'),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    annotations: jsonb('annotations').$type<Record<string, string>>().notNull(),
    generatorUrl: text('generator_url'),
    receiver: text('receiver').notNull(),
    firstReceivedAt: timestamp('first_received_at', { withTimezone: true }).notNull().defaultNow(),
    lastReceivedAt: timestamp('last_received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('alert_events_episode_idx').on(table.fingerprint, table.startsAt),
    index('alert_events_received_idx').on(table.lastReceivedAt),
  ],
);
