import { z } from 'zod';
import { highestRole, roleSchema, type Role } from './session';

/** Settings key `auth.roleMapping`: groups (from the OIDC claim or the proxy header) to roles. */
export const ROLE_MAPPING_SETTING = 'auth.roleMapping';

export const roleMappingSchema = z.object({
  groups: z.record(z.string().min(1), roleSchema).default({}),
  /** The role of a signed-in person in no mapped group; null refuses them. */
  defaultRole: roleSchema.nullable().default(null),
});
export type RoleMapping = z.infer<typeof roleMappingSchema>;

/** The highest role any of the groups maps to, else the default role (null = not allowed in). */
export function roleForGroups(groups: readonly string[], mapping: RoleMapping): Role | null {
  const mapped = groups.flatMap((group) => (mapping.groups[group] ? [mapping.groups[group]] : []));
  return highestRole(mapped) ?? mapping.defaultRole;
}
