import type { ReactNode } from 'react';
import type { LiveEvent } from '@/server/kubernetes/types';
import { formatUtc } from './format';
import styles from './kube.module.css';

export function EventsList({ events, limit = 30 }: { events: LiveEvent[]; limit?: number }): ReactNode {
  if (events.length === 0) return <p className="muted">No recent events.</p>;
  return (
    <ul className={styles.events} data-testid="events">
      {events.slice(0, limit).map((e) => (
        <li key={`${e.cluster}/${e.namespace}/${e.name}`}>
          <span className={`badge ${e.type === 'Warning' ? 'bad' : ''}`}>{e.reason}</span>{' '}
          <span className="small muted">
            {formatUtc(e.lastSeenAt)} · {e.involvedKind} {e.involvedName}
            {e.count > 1 ? ` · ×${e.count}` : ''}
          </span>
          <div>{e.message}</div>
        </li>
      ))}
    </ul>
  );
}
