import 'server-only';
import { z } from 'zod';
import type { Db } from '@/server/db/client';
import { readSetting } from '@/server/db/settings';
import { DEFAULT_SYSTEM_NAMESPACES, type SharedCostOptions } from './model/shared';

/** The settings key of how idle and shared costs are shown: own rows, or spread over workloads. */
export const COST_SHARING_SETTING = 'cost.sharing';

const sharingSchema = z.object({
  idle: z.enum(['row', 'spread']).default('row'),
  shared: z.enum(['row', 'spread']).default('row'),
  systemNamespaces: z
    .array(z.string().min(1).max(253))
    .max(200)
    .default([...DEFAULT_SYSTEM_NAMESPACES]),
});

/** The stored choice, or rows for both with the default system namespaces when none (or a bad one) is stored. */
export async function costSharingOptions(db: Db): Promise<SharedCostOptions> {
  const parsed = sharingSchema.safeParse((await readSetting(db, COST_SHARING_SETTING)) ?? {});
  return parsed.success ? parsed.data : sharingSchema.parse({});
}
