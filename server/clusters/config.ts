import 'server-only';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

export interface ClusterEntry {
  name: string;
  /** Where the entry came from: a kubeconfig context, or the Burnrate config file. */
  source: 'kubeconfig' | 'config';
}

const kubeconfigSchema = z.object({
  contexts: z.array(z.object({ name: z.string() })).nullish(),
});

/**
 * The clusters Burnrate knows: one per kubeconfig context (KUBECONFIG may list several files,
 * separated by ':'). A missing or broken kubeconfig means no clusters, never a crash.
 */
export function configuredClusters(): ClusterEntry[] {
  const files = (process.env.KUBECONFIG ?? '').split(':').filter(Boolean);
  const names = new Set<string>();
  for (const file of files) {
    try {
      const parsed = kubeconfigSchema.parse(parse(readFileSync(file, 'utf8')));
      for (const context of parsed.contexts ?? []) names.add(context.name);
    } catch {
      continue;
    }
  }
  return [...names].map((name) => ({ name, source: 'kubeconfig' as const }));
}
