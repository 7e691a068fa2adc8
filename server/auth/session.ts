import 'server-only';
import { z } from 'zod';

export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
}

const roleRank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAtLeast(role: Role, required: Role): boolean {
  return roleRank[role] >= roleRank[required];
}

export const authModeSchema = z.enum(['demo', 'oidc', 'proxy']);
export type AuthMode = z.infer<typeof authModeSchema>;

export function authMode(): AuthMode | undefined {
  const parsed = authModeSchema.safeParse(process.env.BURNRATE_AUTH);
  return parsed.success ? parsed.data : undefined;
}

export const DEMO_ROLE_COOKIE = 'burnrate-demo-role';

function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * The signed-in user of a request. Only the demo mode exists so far (issue 7 brings OIDC and
 * proxy sign-in): its built-in users are picked by a cookie, admin by default.
 */
export function resolveUser(headers: Headers): SessionUser | null {
  if (authMode() !== 'demo') return null;
  const role = z.enum(roles).catch('admin').parse(cookieValue(headers.get('cookie'), DEMO_ROLE_COOKIE));
  return { id: `demo-${role}`, name: `Demo ${role}`, role };
}
