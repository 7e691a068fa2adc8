import 'server-only';
import { ConfigError, parseConfig, type AppConfig } from './load';
import { CONFIG_FILE_ENV, settings } from './settings';

export { ConfigError, type AppConfig };
export type { ClusterConfig } from './load';

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

/**
 * For instrumentation.ts: the configuration, or the process ends with every problem named. Next
 * only logs an error thrown by the instrumentation hook and keeps serving, each request failing.
 */
export function appConfigAtStart(): AppConfig {
  try {
    return appConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
