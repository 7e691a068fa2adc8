import type { SignInIdentity } from '@/server/db/audit-sessions';
import type { Role, SessionUser } from './session';

/** The built-in people of the demo, one per role (only in BURNRATE_AUTH=demo, set by `npm run demo`). */
export function demoIdentity(role: Role): SignInIdentity {
  return { provider: 'demo', subject: `demo-${role}`, name: `demo-${role}`, groups: [`burnrate:${role}`], role };
}

/** Before anyone picks a demo user, pages are read as the demo viewer: nothing can change by accident. */
export const anonymousDemoUser: SessionUser = {
  id: 'demo:anonymous',
  name: 'demo-anonymous',
  role: 'viewer',
  provider: 'demo',
  groups: [],
};
