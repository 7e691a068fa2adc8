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

/**
 * Context names per kubeconfig file, kept while the file's identity and times stay the same
 * (inode, size, mtime and ctime: an editor replacing the file, or a copy that keeps the mtime,
 * changes one of them). A broken file is remembered as broken until it changes.
 */
const contextsByFile = new Map<string, { version: string; names: string[] | null }>();

function contextNames(file: string): string[] {
  const stat = statSync(file);
  const version = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  let known = contextsByFile.get(file);
  if (known?.version !== version) {
    let names: string[] | null;
    try {
      names = (kubeconfigSchema.parse(parse(readFileSync(file, 'utf8'))).contexts ?? []).map((context) => context.name);
    } catch {
      names = null;
    }
    known = { version, names };
    contextsByFile.set(file, known);
  }
  if (known.names === null) throw new Error(`${file} is not a readable kubeconfig`);
  return known.names;
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
