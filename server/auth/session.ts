import 'server-only';
import { z } from 'zod';
import { appConfig } from '@/server/config';

export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];
export const roleSchema = z.enum(roles);

export interface SessionUser {
  id: string;
  /** What the audit log shows as "who": an e-mail, a proxy user name or a demo user. */
  name: string;
  role: Role;
  provider: 'oidc' | 'proxy' | 'demo';
  groups: string[];
}

const roleRank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAtLeast(role: Role, required: Role): boolean {
  return roleRank[role] >= roleRank[required];
}

export function highestRole(candidates: Role[]): Role | undefined {
  return candidates.reduce<Role | undefined>(
    (best, role) => (best === undefined || roleRank[role] > roleRank[best] ? role : best),
    undefined,
  );
}

export const authModeSchema = z.enum(['demo', 'oidc', 'proxy']);
export type AuthMode = z.infer<typeof authModeSchema>;

export function authMode(): AuthMode | undefined {
  return appConfig().authMode;
}
