import 'server-only';
import { listAlertEvents, type AlertEvent } from '@/server/db/alerts';
import { getDatabase } from '@/server/db/client';

export interface AlertHistoryEntry {
  id: number;
  alertname: string;
  status: 'firing' | 'resolved';
  severity: string | null;
  cluster: string | null;
  namespace: string | null;
  workload: string | null;
  summary: string | null;
  startsAt: Date;
  endsAt: Date | null;
  lastReceivedAt: Date;
  labels: Record<string, string>;
}

function toEntry(event: AlertEvent): AlertHistoryEntry {
  return {
    id: event.id,
    alertname: event.alertname,
    status: event.status,
    severity: event.severity,
    cluster: event.cluster,
    namespace: event.namespace,
    workload: event.labels.workload ?? event.labels.deployment ?? null,
    summary: event.annotations.summary ?? event.annotations.description ?? null,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    lastReceivedAt: event.lastReceivedAt,
    labels: event.labels,
  };
}

/** The newest alert episodes Alertmanager reported, newest notification first. */
export async function recentAlertHistory(limit: number, cluster?: string): Promise<AlertHistoryEntry[]> {
  const { db } = await getDatabase();
  const events = await listAlertEvents(db, cluster ? limit * 4 : limit);
  return events
    .map(toEntry)
    .filter((e) => !cluster || e.cluster === cluster)
    .slice(0, limit);
}
