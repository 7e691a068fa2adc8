import 'server-only';
import type { HeaderReader } from '@/lib/http-security';
import { appConfig } from '@/server/config';
import { getDatabase } from '@/server/db/client';
import { readSetting } from '@/server/db/settings';
import { DomainError } from '@/server/errors';
import { cookieValue } from './cookies';
import { anonymousDemoUser } from './demo-users';
import { trustedPeerAddress } from './peer-address';
import { proxyAuthConfig, resolveProxyUser } from './proxy-auth';
import { ROLE_MAPPING_SETTING, roleMappingSchema, type RoleMapping } from './role-mapping';
import { authMode, roleAtLeast, type Role, type SessionUser } from './session';
import { findSessionUser } from '@/server/db/audit-sessions';

export const SESSION_COOKIE = 'burnrate_session';

/** The mapping BURNRATE_ROLE_GROUPS and BURNRATE_DEFAULT_ROLE seed before an admin edits it. */
export function configuredRoleMapping(): RoleMapping {
  const config = appConfig();
  return { groups: config.roleGroups, defaultRole: config.defaultRole ?? null };
}

/** The admin-edited mapping in settings, else the one seeded from the configuration. */
export async function currentRoleMapping(): Promise<RoleMapping> {
  const { db } = await getDatabase();
  const stored = roleMappingSchema.safeParse(await readSetting(db, ROLE_MAPPING_SETTING));
  return stored.success ? stored.data : configuredRoleMapping();
}

/** The signed-in person of a request, or null. Every tRPC call and route handler goes through here. */
export async function resolveUser(headers: HeaderReader): Promise<SessionUser | null> {
  const mode = authMode();
  if (mode === 'proxy') {
    const outcome = resolveProxyUser(
      headers,
      trustedPeerAddress(headers),
      proxyAuthConfig(),
      await currentRoleMapping(),
    );
    return outcome.ok ? outcome.user : null;
  }
  if (mode !== 'demo' && mode !== 'oidc') return null;
  const token = cookieValue(headers.get('cookie'), SESSION_COOKIE);
  const user = token ? await findSessionUser((await getDatabase()).db, token) : null;
  if (user) return user;
  return mode === 'demo' ? anonymousDemoUser : null;
}

/** For route handlers: the person, at least `role`, or a typed error that route() maps to 401/403. */
export async function requireUser(request: Request, role: Role): Promise<SessionUser> {
  const user = await resolveUser(request.headers);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue.');
  if (!roleAtLeast(user.role, role))
    throw new DomainError('FORBIDDEN', `This needs the ${role} role; you are ${user.role}.`);
  return user;
}
