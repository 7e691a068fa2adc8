import 'server-only';
import { readFileSync, statSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { z } from 'zod';

const contextsSchema = z.object({
  contexts: z.array(z.object({ name: z.string() })).nullish(),
});

/** Identity and times of a file: an editor replacing it, or a copy that keeps the mtime, changes one. */
function fileVersion(file: string): string {
  const stat = statSync(file);
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}

/**
 * Context names per kubeconfig file, kept while the file's version stays the same. A broken file
 * is remembered as broken until it changes. Every panel for one cluster checks its name: a
 * kubeconfig with certificates is tens of KB of YAML, ~0.2 ms to parse even for the demo's 1 KB.
 */
const contextsByFile = new Map<string, { version: string; names: string[] | null }>();

function contextNamesOf(file: string): string[] {
  const version = fileVersion(file);
  let known = contextsByFile.get(file);
  if (known?.version !== version) {
    let names: string[] | null;
    try {
      names = (contextsSchema.parse(parse(readFileSync(file, 'utf8'))).contexts ?? []).map((context) => context.name);
    } catch {
      names = null;
    }
    known = { version, names };
    contextsByFile.set(file, known);
  }
  if (known.names === null) throw new Error(`${file} is not a readable kubeconfig`);
  return known.names;
}

/** The contexts of every file, each name once; a missing or broken file adds none, never a crash. */
export function kubeContextNames(files: string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    try {
      for (const name of contextNamesOf(file)) names.add(name);
    } catch {
      continue;
    }
  }
  return [...names];
}

/** One KubeConfig per (files as they are now, context): credentials plugins keep their tokens in it. */
const configs = new Map<string, { version: string; config: KubeConfig }>();

/**
 * The credentials of one context, as kubectl merges several files: the first file that names a
 * cluster, user or context wins. @kubernetes/client-node resolves tokens, exec plugins,
 * certificates and proxies from it. Throws when no readable file has the context.
 */
export function kubeConfigFor(context: string, files: string[]): KubeConfig {
  const readable = files.filter((file) => {
    try {
      contextNamesOf(file);
      return true;
    } catch {
      return false;
    }
  });
  const version = JSON.stringify(readable.map((file) => [file, fileVersion(file)]));
  const known = configs.get(context);
  if (known?.version === version) return known.config;
  const merged = {
    clusters: new Map<string, unknown>(),
    users: new Map<string, unknown>(),
    contexts: new Map<string, unknown>(),
  };
  for (const file of readable) {
    const one = new KubeConfig();
    one.loadFromFile(file);
    for (const c of one.getClusters()) if (!merged.clusters.has(c.name)) merged.clusters.set(c.name, c);
    for (const u of one.getUsers()) if (!merged.users.has(u.name)) merged.users.set(u.name, u);
    for (const c of one.getContexts()) if (!merged.contexts.has(c.name)) merged.contexts.set(c.name, c);
  }
  if (!merged.contexts.has(context))
    throw new Error(`No kubeconfig context named "${context}" (KUBECONFIG: ${files.join(':') || 'not set'}).`);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [...merged.clusters.values()],
    users: [...merged.users.values()],
    contexts: [...merged.contexts.values()],
    currentContext: context,
  });
  configs.set(context, { version, config });
  return config;
}
