import 'server-only';
import pino, { type Logger } from 'pino';
import { appConfig } from '@/server/config';

const globalKey = Symbol.for('burnrate.logger');
type GlobalWithLogger = typeof globalThis & { [globalKey]?: Logger };

/**
 * JSON lines on stdout, always: the demo launcher pipes them through pino-pretty, production
 * ships them as they are. One logger per process (Next bundles modules more than once).
 */
export function logger(): Logger {
  const g = globalThis as GlobalWithLogger;
  g[globalKey] ??= pino({
    level: appConfig().logLevel,
    base: { app: 'burnrate' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
  });
  return g[globalKey];
}
