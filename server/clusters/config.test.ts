import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterContext, clusterPrometheusUrl, configuredClusters } from './config';

const dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-kubeconfig-'));
const saved = process.env.KUBECONFIG;
const savedConfig = { BURNRATE_CONFIG: process.env.BURNRATE_CONFIG, PROMETHEUS_URL: process.env.PROMETHEUS_URL };

afterAll(() => {
  process.env.KUBECONFIG = saved;
  for (const [key, value] of Object.entries(savedConfig)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(name: string, contexts: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\ncontexts:\n${contexts.map((c) => `- name: ${c}\n  context: {cluster: ${c}, user: u}\n`).join('')}`,
  );
  return file;
}

describe('configuredClusters', () => {
  it('lists the contexts of every KUBECONFIG file once; missing or broken files add none', () => {
    const a = kubeconfig('a.yaml', ['us-east-prod', 'eu-west-batch']);
    const b = kubeconfig('b.yaml', ['eu-west-batch', 'lab']);
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'contexts: [unclosed');
    process.env.KUBECONFIG = [a, path.join(dir, 'missing.yaml'), broken, b].join(':');
    expect(configuredClusters().map((c) => c.name)).toEqual(['us-east-prod', 'eu-west-batch', 'lab']);
    // Mended, the broken file counts.
    writeFileSync(broken, 'contexts:\n- name: mended\n');
    expect(configuredClusters().map((c) => c.name)).toEqual(['us-east-prod', 'eu-west-batch', 'mended', 'lab']);
  });

  it('sees a kubeconfig that changed, and the same answer while it has not', () => {
    const file = kubeconfig('changing.yaml', ['one']);
    process.env.KUBECONFIG = file;
    expect(configuredClusters().map((c) => c.name)).toEqual(['one']);
    kubeconfig('changing.yaml', ['one', 'two']);
    expect(configuredClusters().map((c) => c.name)).toEqual(['one', 'two']);
    // Same size and the same whole-second mtime (a copy that keeps times, a 1-second mtime): the ctime moved.
    const pinned = new Date('2026-01-01T00:00:00Z');
    utimesSync(file, pinned, pinned);
    expect(configuredClusters().map((c) => c.name)).toEqual(['one', 'two']);
    kubeconfig('changing.yaml', ['uno', 'two']);
    utimesSync(file, pinned, pinned);
    expect(statSync(file).mtimeMs).toBe(pinned.getTime());
    expect(configuredClusters().map((c) => c.name)).toEqual(['uno', 'two']);
    expect(configuredClusters()).toEqual(configuredClusters());
  });

  it('takes the clusters the BURNRATE_CONFIG file lists, each with its context and Prometheus', () => {
    kubeconfig('listed.yaml', ['prod-admin@us-east', 'lab']);
    const file = path.join(dir, 'burnrate.yaml');
    writeFileSync(
      file,
      [
        'kubeconfig: [listed.yaml]',
        'clusters:',
        '  - {name: us-east-prod, context: prod-admin@us-east, prometheusUrl: "http://prom.us-east:9090/"}',
        '  - {name: lab}',
      ].join('\n'),
    );
    process.env.BURNRATE_CONFIG = file;
    process.env.PROMETHEUS_URL = 'http://thanos:9090';
    process.env.KUBECONFIG = '';
    expect(configuredClusters()).toEqual([
      { name: 'us-east-prod', source: 'config' },
      { name: 'lab', source: 'config' },
    ]);
    expect(clusterContext('us-east-prod')).toBe('prod-admin@us-east');
    expect(clusterContext('lab')).toBe('lab');
    expect(clusterContext('prod-admin@us-east')).toBeUndefined();
    expect(clusterPrometheusUrl('us-east-prod')).toBe('http://prom.us-east:9090');
    expect(clusterPrometheusUrl('lab')).toBe('http://thanos:9090');
  });
});
