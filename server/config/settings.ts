import { z } from 'zod';

/**
 * One setting: the environment variable, where it sits in the `BURNRATE_CONFIG` file (none: the
 * environment only), what the README says about it, and its typed value. `fromEnv` turns the
 * variable's text into what the file would hold (a number, a list); `value` checks either.
 */
export interface Setting<S extends z.ZodType = z.ZodType> {
  env: string;
  file: string | null;
  what: string;
  /** The default as the README shows it. */
  defaultText: string;
  /** A path (or paths): relative ones in the file are taken from the file's folder. */
  isPath?: true;
  fromEnv: (text: string) => unknown;
  value: S;
}

function setting<S extends z.ZodType>(
  s: Omit<Setting<S>, 'fromEnv'> & { fromEnv?: (text: string) => unknown },
): Setting<S> {
  return { fromEnv: (text) => text.trim(), ...s };
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'Invalid URL' }).transform((url) => url.replace(/\/+$/, ''));
const positive = z.number({ error: 'must be a positive number' }).positive({ error: 'must be a positive number' });
const nonEmpty = z.string().trim().min(1);
const roleEnum = z.enum(['viewer', 'operator', 'admin']);
const headerName = nonEmpty.regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name').transform((h) => h.toLowerCase());
const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `ops=operator,finops=admin` → `{ ops: 'operator', finops: 'admin' }`; a pair without `=` stays as text and fails. */
function rolePairs(text: string): unknown {
  const pairs = commaList(text).map((pair) => pair.split('=').map((s) => s.trim()));
  if (pairs.some((pair) => pair.length !== 2 || !pair[0])) return text;
  return Object.fromEntries(pairs);
}

const asNumber = (text: string): unknown => (text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text));

/** The project root: the standalone server changes directory, so the launcher pins it. */
const root = (): string => process.cwd();

export const settings = {
  port: setting({
    env: 'PORT',
    file: null,
    what: 'app port (read by the Next.js server)',
    defaultText: '3000',
    value: z.coerce.number().int().min(1).max(65535).default(3000),
  }),
  projectRoot: setting({
    env: 'BURNRATE_ROOT',
    file: null,
    what: 'the repository root (set by the launcher, scripts/start-app.ts)',
    defaultText: 'the working directory',
    value: nonEmpty.default(root),
  }),
  home: setting({
    isPath: true,
    env: 'BURNRATE_HOME',
    file: 'home',
    what: 'local state: embedded database, demo files',
    defaultText: '`.burnrate/` under the root',
    value: nonEmpty.optional(),
  }),
  databaseUrl: setting({
    env: 'DATABASE_URL',
    file: 'database.url',
    what: 'Postgres (`postgres://…`); without it an embedded PGlite in `<home>/db`',
    defaultText: 'embedded PGlite',
    value: z.url({ protocol: /^postgres(ql)?$/, error: 'Invalid URL (postgres://…)' }).optional(),
  }),
  migrationsDir: setting({
    env: 'BURNRATE_MIGRATIONS_DIR',
    file: null,
    what: 'drizzle migrations folder',
    defaultText: '`drizzle/` under the root',
    value: nonEmpty.optional(),
  }),
  prometheusUrl: setting({
    env: 'PROMETHEUS_URL',
    file: 'prometheus.url',
    what: 'Prometheus (or Thanos, Mimir, VictoriaMetrics) for clusters without their own `prometheusUrl`',
    defaultText: 'none (demo: http://127.0.0.1:9090)',
    value: httpUrl.optional(),
  }),
  prometheusClusterLabel: setting({
    env: 'PROMETHEUS_CLUSTER_LABEL',
    file: 'prometheus.clusterLabel',
    what: 'label that names the cluster of a series',
    defaultText: '`cluster`',
    value: nonEmpty.default('cluster'),
  }),
  prometheusScrapeIntervalSeconds: setting({
    env: 'PROMETHEUS_SCRAPE_INTERVAL_SECONDS',
    file: 'prometheus.scrapeIntervalSeconds',
    what: 'scrape interval (smallest step, rate windows)',
    defaultText: '15',
    fromEnv: asNumber,
    value: positive.default(15),
  }),
  prometheusPanelTimeoutMs: setting({
    env: 'PROMETHEUS_PANEL_TIMEOUT_MS',
    file: 'prometheus.panelTimeoutMs',
    what: 'a panel waits this long before showing its last good data as stale',
    defaultText: '8000',
    fromEnv: asNumber,
    value: positive.default(8000),
  }),
  prometheusCompression: setting({
    env: 'PROMETHEUS_COMPRESSION',
    file: 'prometheus.compression',
    what: 'answers compressed: `gzip` or `none`',
    defaultText: 'gzip, except from a Prometheus on this machine',
    value: z.enum(['gzip', 'none']).optional(),
  }),
  kubeconfig: setting({
    isPath: true,
    env: 'KUBECONFIG',
    file: 'kubeconfig',
    what: 'kubeconfig files (`:`-separated); each context is a cluster unless `clusters` lists them',
    defaultText: 'none (demo: `.burnrate/demo/kubeconfig`)',
    fromEnv: (text) => text.split(':').filter(Boolean),
    value: z.array(nonEmpty).default([]),
  }),
  alertmanagerUrl: setting({
    env: 'ALERTMANAGER_URL',
    file: 'alertmanager.url',
    what: 'Alertmanager (health check, silences)',
    defaultText: 'none (demo: http://127.0.0.1:9093)',
    value: httpUrl.optional(),
  }),
  alertmanagerToken: setting({
    env: 'BURNRATE_ALERTMANAGER_TOKEN',
    file: 'alertmanager.webhookToken',
    what: 'bearer token Alertmanager sends to `POST /api/alerts/webhook`',
    defaultText: 'none (webhook open)',
    value: nonEmpty.optional(),
  }),
  authMode: setting({
    env: 'BURNRATE_AUTH',
    file: 'auth.mode',
    what: 'sign-in: `oidc`, `proxy` or `demo`',
    defaultText: 'none: nobody is signed in (demo: `demo`)',
    value: z.enum(['demo', 'oidc', 'proxy']).optional(),
  }),
  sessionSecret: setting({
    env: 'BURNRATE_SESSION_SECRET',
    file: 'auth.sessionSecret',
    what: 'signs the OIDC sign-in cookie; required for `oidc` (≥ 32 characters, the same on every replica)',
    defaultText: 'random per process',
    value: z.string().min(32, 'must be 32 characters or more').optional(),
  }),
  publicUrl: setting({
    env: 'BURNRATE_PUBLIC_URL',
    file: 'auth.publicUrl',
    what: "the app's URL as browsers see it (OIDC redirect)",
    defaultText: 'none',
    value: httpUrl.optional(),
  }),
  oidcIssuer: setting({
    env: 'BURNRATE_OIDC_ISSUER',
    file: 'auth.oidc.issuer',
    what: 'OpenID Connect issuer URL',
    defaultText: 'none',
    value: httpUrl.optional(),
  }),
  oidcClientId: setting({
    env: 'BURNRATE_OIDC_CLIENT_ID',
    file: 'auth.oidc.clientId',
    what: 'OIDC client id',
    defaultText: 'none',
    value: nonEmpty.optional(),
  }),
  oidcClientSecret: setting({
    env: 'BURNRATE_OIDC_CLIENT_SECRET',
    file: 'auth.oidc.clientSecret',
    what: 'OIDC client secret (none: a public client with PKCE)',
    defaultText: 'none',
    value: nonEmpty.optional(),
  }),
  oidcScopes: setting({
    env: 'BURNRATE_OIDC_SCOPES',
    file: 'auth.oidc.scopes',
    what: 'scopes asked for',
    defaultText: '`openid profile email groups`',
    value: nonEmpty.default('openid profile email groups'),
  }),
  oidcGroupsClaim: setting({
    env: 'BURNRATE_OIDC_GROUPS_CLAIM',
    file: 'auth.oidc.groupsClaim',
    what: "ID token claim with the person's groups",
    defaultText: '`groups`',
    value: nonEmpty.default('groups'),
  }),
  proxyAllowedAddresses: setting({
    env: 'BURNRATE_PROXY_ALLOWED_ADDRESSES',
    file: 'auth.proxy.allowedAddresses',
    what: 'addresses or CIDRs of the authenticating proxy (comma-separated)',
    defaultText: '`127.0.0.1/32,::1/128`',
    fromEnv: commaList,
    value: z.array(nonEmpty).default(['127.0.0.1/32', '::1/128']),
  }),
  proxyUserHeader: setting({
    env: 'BURNRATE_PROXY_USER_HEADER',
    file: 'auth.proxy.userHeader',
    what: 'header with the user name',
    defaultText: '`x-forwarded-user`',
    value: headerName.default('x-forwarded-user'),
  }),
  proxyGroupsHeader: setting({
    env: 'BURNRATE_PROXY_GROUPS_HEADER',
    file: 'auth.proxy.groupsHeader',
    what: 'header with the groups',
    defaultText: '`x-forwarded-groups`',
    value: headerName.default('x-forwarded-groups'),
  }),
  proxyEmailHeader: setting({
    env: 'BURNRATE_PROXY_EMAIL_HEADER',
    file: 'auth.proxy.emailHeader',
    what: 'header with the email',
    defaultText: '`x-forwarded-email`',
    value: headerName.default('x-forwarded-email'),
  }),
  roleGroups: setting({
    env: 'BURNRATE_ROLE_GROUPS',
    file: 'auth.roleGroups',
    what: 'groups → roles until an admin edits `auth.roleMapping` (e.g. `ops=operator,finops=admin`)',
    defaultText: 'none',
    fromEnv: rolePairs,
    value: z.record(nonEmpty, roleEnum, { error: 'must be group=role pairs' }).default({}),
  }),
  defaultRole: setting({
    env: 'BURNRATE_DEFAULT_ROLE',
    file: 'auth.defaultRole',
    what: 'role of a signed-in person in no mapped group',
    defaultText: 'none: refused',
    value: roleEnum.optional(),
  }),
  adminToken: setting({
    env: 'BURNRATE_ADMIN_TOKEN',
    file: 'billing.adminToken',
    what: 'bearer token for `POST /api/billing/imports` without a session',
    defaultText: 'none',
    value: nonEmpty.optional(),
  }),
  billingWatchDir: setting({
    isPath: true,
    env: 'BURNRATE_BILLING_WATCH_DIR',
    file: 'billing.watchDir',
    what: 'folder of FOCUS exports imported as they appear',
    defaultText: 'the `billing.watchDir` setting (demo: `.burnrate/demo/billing`)',
    value: nonEmpty.optional(),
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    file: 'logLevel',
    what: 'pino log level',
    defaultText: '`info`',
    value: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }),
} as const;

export type SettingKey = keyof typeof settings;

/** Where the file sits: BURNRATE_CONFIG (environment only, it names the file). */
export const CONFIG_FILE_ENV = 'BURNRATE_CONFIG';

/** One cluster of the file: its kubeconfig context (default: its name) and its own Prometheus. */
export const clusterSchema = z.strictObject({
  name: nonEmpty,
  context: nonEmpty.optional(),
  prometheusUrl: httpUrl.optional(),
});
