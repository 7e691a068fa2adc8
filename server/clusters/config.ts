import 'server-only';
import { readFileSync, statSync } from 'node:fs';
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

/** Context names per kubeconfig file, kept while the file's size and mtime stay the same. */
const contextsByFile = new Map<string, { mtimeMs: number; size: number; names: string[] }>();

function contextNames(file: string): string[] {
  const stat = statSync(file);
  const known = contextsByFile.get(file);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.names;
  const parsed = kubeconfigSchema.parse(parse(readFileSync(file, 'utf8')));
  const names = (parsed.contexts ?? []).map((context) => context.name);
  contextsByFile.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, names });
  return names;
}

/**
 * The clusters Burnrate knows: one per kubeconfig context (KUBECONFIG may list several files,
 * separated by ':'). A missing or broken kubeconfig means no clusters, never a crash. Every panel
 * for one cluster checks its name here: a file is parsed again only when it changed (a kubeconfig
 * with certificates is tens of KB of YAML, ~0.2 ms even for the demo's 1 KB).
 */
export function configuredClusters(): ClusterEntry[] {
  const files = (process.env.KUBECONFIG ?? '').split(':').filter(Boolean);
  const names = new Set<string>();
  for (const file of files) {
    try {
      for (const name of contextNames(file)) names.add(name);
    } catch {
      continue;
    }
  }
  return [...names].map((name) => ({ name, source: 'kubeconfig' as const }));
}
