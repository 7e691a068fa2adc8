import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { clusterSchema, CONFIG_FILE_ENV, settings, type Setting, type SettingKey } from './settings';

export type ClusterConfig = z.output<typeof clusterSchema>;

export type AppConfig = { [K in SettingKey]: z.output<(typeof settings)[K]['value']> } & {
  /** The clusters the file lists, or null: then every kubeconfig context is a cluster. */
  clusters: ClusterConfig[] | null;
  /** The `BURNRATE_CONFIG` file read, if any. */
  file: string | null;
};

/** Every problem found, each naming its key (`PROMETHEUS_URL: …`, `BURNRATE_CONFIG clusters[1].prometheusUrl: …`). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
  }
}

type Shape = { [key: string]: z.ZodType | Shape };

/** The file's schema, built from the settings' file keys: nested objects that refuse unknown keys. */
function fileSchema(): z.ZodType<Record<string, unknown>> {
  const root: Shape = {};
  for (const s of Object.values(settings) as Setting[]) {
    if (!s.file) continue;
    const parts = s.file.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Shape;
    node[parts.at(-1)!] = s.value;
  }
  const build = (shape: Shape): z.ZodObject =>
    z.strictObject(
      Object.fromEntries(
        Object.entries(shape).map(([key, child]) => [
          key,
          child instanceof z.ZodType ? child.optional() : build(child).optional(),
        ]),
      ),
    );
  return build(root).extend({ clusters: z.array(clusterSchema).optional() });
}

function at(data: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      data,
    );
}

/** `clusters[1].prometheusUrl`, as a person would point at it in the file. */
function keyPath(issuePath: readonly PropertyKey[]): string {
  return issuePath.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

function readConfigFile(file: string, readFile: (file: string) => string, issues: string[]): unknown {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    issues.push(
      `${CONFIG_FILE_ENV}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
    return undefined;
  }
  try {
    // YAML 1.2 reads JSON too: one parser for both.
    return parseYaml(text) ?? {};
  } catch (error) {
    issues.push(`${CONFIG_FILE_ENV}: ${file} is neither YAML nor JSON: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/**
 * The configuration from the environment and the `BURNRATE_CONFIG` file (YAML or JSON). An
 * environment variable wins over the file (a deployment overrides one value without editing the
 * file); an empty variable counts as unset. Throws ConfigError listing every problem.
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  readFile = (file: string): string => readFileSync(file, 'utf8'),
): AppConfig {
  const issues: string[] = [];
  const file = env[CONFIG_FILE_ENV]?.trim() || null;
  let fileData: Record<string, unknown> = {};
  let raw: unknown = {};
  if (file) {
    raw = readConfigFile(file, readFile, issues);
    const parsed = fileSchema().safeParse(raw);
    if (parsed.success) fileData = parsed.data;
    else if (raw !== undefined)
      for (const issue of parsed.error.issues)
        issues.push(`${CONFIG_FILE_ENV} ${keyPath(issue.path) || '(top level)'}: ${issue.message}`);
  }
  // Paths named at run time: without the comment Turbopack traces the whole project into the build.
  const fileDir = file ? path.dirname(path.resolve(/*turbopackIgnore: true*/ file)) : '';
  const values: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings) as [SettingKey, Setting][]) {
    const text = env[s.env];
    const fromFile = s.file && at(raw, s.file) !== undefined ? at(fileData, s.file) : undefined;
    const candidate =
      text !== undefined && text.trim() !== '' ? s.fromEnv(text) : s.isPath ? relativeTo(fileDir, fromFile) : fromFile;
    const parsed = s.value.safeParse(candidate);
    if (parsed.success) values[key] = parsed.data;
    else if (text !== undefined && text.trim() !== '')
      issues.push(`${s.env}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const clusters = (fileData.clusters as ClusterConfig[] | undefined) ?? null;
  clusters?.forEach((cluster, i) => {
    if (clusters.findIndex((c) => c.name === cluster.name) !== i)
      issues.push(`${CONFIG_FILE_ENV} clusters[${i}].name: "${cluster.name}" is listed twice`);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return { ...(values as Omit<AppConfig, 'clusters' | 'file'>), clusters, file };
}

function relativeTo(dir: string, value: unknown): unknown {
  if (typeof value === 'string') return path.resolve(/*turbopackIgnore: true*/ dir, value);
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'string' ? path.resolve(/*turbopackIgnore: true*/ dir, v) : v));
  }
  return value;
}
