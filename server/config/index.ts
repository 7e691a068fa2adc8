import 'server-only';
import { parseConfig, type AppConfig } from './load';
import { CONFIG_FILE_ENV, settings } from './settings';

export { ConfigError, type AppConfig, type ClusterConfig } from './load';

const keys = [CONFIG_FILE_ENV, ...Object.values(settings).map((s) => s.env)];

let current: { fingerprint: string; config: AppConfig } | undefined;

/**
 * The app's configuration, parsed once (instrumentation.ts parses it at start, so a bad value
 * stops the server with the key named). The environment does not change in a running app; tests
 * that change it get it parsed again. The file is read again only when BURNRATE_CONFIG changes.
 */
export function appConfig(): AppConfig {
  const fingerprint = keys.map((key) => process.env[key] ?? '\u0000').join('\n');
  if (current?.fingerprint !== fingerprint) current = { fingerprint, config: parseConfig(process.env) };
  return current.config;
}
