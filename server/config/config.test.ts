import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load';

const dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

function issuesOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

const goodYaml = `
kubeconfig: [kube/prod.yaml, /etc/burnrate/lab.yaml]
prometheus:
  url: http://thanos.monitoring:9090/
  scrapeIntervalSeconds: 30
clusters:
  - name: us-east-prod
    context: prod-admin@us-east
    prometheusUrl: https://prom.us-east.example.com
  - name: lab
auth:
  mode: oidc
  publicUrl: https://burnrate.example.com
  oidc: { issuer: https://login.example.com, clientId: burnrate }
  roleGroups: { platform-admins: admin, sre: operator }
billing:
  watchDir: exports/focus
`;

describe('parseConfig', () => {
  it('reads a good YAML file: clusters with their context and Prometheus, auth, billing; paths from the file folder', () => {
    const config = parseConfig({ BURNRATE_CONFIG: file('good.yaml', goodYaml) });
    expect(config.clusters).toEqual([
      { name: 'us-east-prod', context: 'prod-admin@us-east', prometheusUrl: 'https://prom.us-east.example.com' },
      { name: 'lab' },
    ]);
    expect(config.prometheusUrl).toBe('http://thanos.monitoring:9090');
    expect(config.prometheusScrapeIntervalSeconds).toBe(30);
    expect(config.prometheusPanelTimeoutMs).toBe(8000);
    expect(config.kubeconfig).toEqual([path.join(dir, 'kube/prod.yaml'), '/etc/burnrate/lab.yaml']);
    expect(config.authMode).toBe('oidc');
    expect(config.oidcIssuer).toBe('https://login.example.com');
    expect(config.oidcScopes).toBe('openid profile email groups');
    expect(config.roleGroups).toEqual({ 'platform-admins': 'admin', sre: 'operator' });
    expect(config.billingWatchDir).toBe(path.join(dir, 'exports/focus'));
  });

  it('reads the same settings from JSON', () => {
    const json = JSON.stringify({
      prometheus: { url: 'http://127.0.0.1:9090' },
      clusters: [{ name: 'a', prometheusUrl: 'http://127.0.0.1:9091' }],
    });
    const config = parseConfig({ BURNRATE_CONFIG: file('good.json', json) });
    expect(config.clusters).toEqual([{ name: 'a', prometheusUrl: 'http://127.0.0.1:9091' }]);
    expect(config.prometheusUrl).toBe('http://127.0.0.1:9090');
  });

  it('names the key of every bad value in the file', () => {
    const bad = file(
      'bad.yaml',
      `
clusters:
  - name: ok
    prometheusUrl: http://127.0.0.1:9090
  - name: broken
    prometheusUrl: not a url
prometheus:
  scrapeIntervalSeconds: -5
auth:
  mode: ldap
`,
    );
    const issues = issuesOf({ BURNRATE_CONFIG: bad });
    expect(issues).toContain('BURNRATE_CONFIG clusters[1].prometheusUrl: Invalid URL');
    expect(issues).toContain('BURNRATE_CONFIG prometheus.scrapeIntervalSeconds: must be a positive number');
    expect(issues.find((i) => i.startsWith('BURNRATE_CONFIG auth.mode: '))).toMatch(/demo.*oidc.*proxy/);
    expect(issues).toHaveLength(3);
  });

  it('refuses unknown keys, at any depth, naming where they are', () => {
    const issues = issuesOf({
      BURNRATE_CONFIG: file(
        'unknown.yaml',
        'promethues: {url: http://x}\nauth: {mode: demo, oidc: {issuer: https://a.example, clientID: b}}\nclusters: [{name: a, prometheus: http://y}]\n',
      ),
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BURNRATE_CONFIG \(top level\): .*"promethues"/),
        expect.stringMatching(/^BURNRATE_CONFIG auth\.oidc: .*"clientID"/),
        expect.stringMatching(/^BURNRATE_CONFIG clusters\[0\]: .*"prometheus"/),
      ]),
    );
  });

  it('says what is wrong with a file it cannot read or parse, and with a cluster listed twice', () => {
    expect(issuesOf({ BURNRATE_CONFIG: path.join(dir, 'missing.yaml') })).toEqual([
      `BURNRATE_CONFIG: cannot read ${path.join(dir, 'missing.yaml')} (ENOENT)`,
    ]);
    expect(issuesOf({ BURNRATE_CONFIG: file('broken.yaml', 'clusters: [unclosed') })[0]).toMatch(
      /^BURNRATE_CONFIG: .*broken\.yaml is neither YAML nor JSON/,
    );
    expect(issuesOf({ BURNRATE_CONFIG: file('twice.yaml', 'clusters: [{name: a}, {name: a}]') })).toEqual([
      'BURNRATE_CONFIG clusters[1].name: "a" is listed twice',
    ]);
  });

  it('works from the environment alone, as the demo launcher and the tests set it', () => {
    const config = parseConfig({
      PORT: '3800',
      BURNRATE_HOME: '/tmp/home',
      PROMETHEUS_URL: 'http://127.0.0.1:9890',
      KUBECONFIG: '/a/kubeconfig:/b/kubeconfig',
      BURNRATE_AUTH: 'demo',
      PROMETHEUS_SCRAPE_INTERVAL_SECONDS: '5',
      BURNRATE_PROXY_ALLOWED_ADDRESSES: '10.0.0.0/8, 127.0.0.1/32',
      BURNRATE_ROLE_GROUPS: 'ops=operator, finops=admin',
      BURNRATE_PROXY_USER_HEADER: 'X-Auth-User',
      DATABASE_URL: '',
    });
    expect(config).toMatchObject({
      port: 3800,
      home: '/tmp/home',
      prometheusUrl: 'http://127.0.0.1:9890',
      kubeconfig: ['/a/kubeconfig', '/b/kubeconfig'],
      authMode: 'demo',
      prometheusScrapeIntervalSeconds: 5,
      proxyAllowedAddresses: ['10.0.0.0/8', '127.0.0.1/32'],
      roleGroups: { ops: 'operator', finops: 'admin' },
      proxyUserHeader: 'x-auth-user',
      databaseUrl: undefined,
      clusters: null,
      file: null,
    });
    expect(parseConfig({})).toMatchObject({
      prometheusUrl: undefined,
      kubeconfig: [],
      logLevel: 'info',
      prometheusClusterLabel: 'cluster',
    });
  });

  it('lets an environment variable win over the file, and names the variable when it is bad', () => {
    const config = parseConfig({
      BURNRATE_CONFIG: file('over.yaml', goodYaml),
      PROMETHEUS_URL: 'http://127.0.0.1:9999',
      BURNRATE_AUTH: 'demo',
    });
    expect(config.prometheusUrl).toBe('http://127.0.0.1:9999');
    expect(config.authMode).toBe('demo');
    expect(config.prometheusScrapeIntervalSeconds).toBe(30);
    expect(
      issuesOf({ PROMETHEUS_URL: 'prometheus:9090', PROMETHEUS_PANEL_TIMEOUT_MS: 'soon', BURNRATE_ROLE_GROUPS: 'ops' }),
    ).toEqual([
      'PROMETHEUS_URL: Invalid URL',
      'PROMETHEUS_PANEL_TIMEOUT_MS: must be a positive number',
      'BURNRATE_ROLE_GROUPS: must be group=role pairs',
    ]);
  });
});
