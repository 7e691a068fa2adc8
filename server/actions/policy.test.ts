import { describe, expect, it } from 'vitest';
import { csvCell, auditCsv } from './audit-log';
import { createMergePatch, diffObjects } from './diff';
import {
  imageViolation,
  rateLimited,
  registryOf,
  replicaBoundsOf,
  replicaViolation,
  withReplicaBoundsRule,
} from './policy';
import type { WorkloadRef } from './types';

const chat: WorkloadRef = { cluster: 'us-east-prod', namespace: 'llm-serving', kind: 'Deployment', name: 'chat-llm' };

describe('replica bounds', () => {
  it('defaults to 0…20, reads the annotations, and lets a settings rule win', () => {
    expect(replicaBoundsOf(chat, undefined, [])).toEqual({ minReplicas: 0, maxReplicas: 20, source: 'default' });
    expect(replicaBoundsOf(chat, { 'burnrate.dev/replicas-min': '2', 'burnrate.dev/replicas-max': '8' }, [])).toEqual({
      minReplicas: 2,
      maxReplicas: 8,
      source: 'annotation',
    });
    expect(replicaBoundsOf(chat, { 'burnrate.dev/replicas-max': '6' }, [])).toEqual({
      minReplicas: 0,
      maxReplicas: 6,
      source: 'annotation',
    });
    const rules = withReplicaBoundsRule([], { ...chat, minReplicas: 1, maxReplicas: 4 });
    expect(replicaBoundsOf(chat, { 'burnrate.dev/replicas-max': '6' }, rules)).toEqual({
      minReplicas: 1,
      maxReplicas: 4,
      source: 'settings',
    });
    expect(replicaBoundsOf({ ...chat, name: 'embedder' }, undefined, rules).source).toBe('default');
    expect(withReplicaBoundsRule(rules, { ...chat, minReplicas: 0, maxReplicas: 9 })).toEqual([
      { ...chat, minReplicas: 0, maxReplicas: 9 },
    ]);
  });

  it('ignores annotations that are not whole numbers', () => {
    expect(replicaBoundsOf(chat, { 'burnrate.dev/replicas-max': 'ten' }, []).source).toBe('default');
  });

  it('refuses negative, fractional, non-finite and out-of-bounds counts', () => {
    const bounds = { minReplicas: 1, maxReplicas: 4, source: 'settings' as const };
    expect(replicaViolation(1, bounds)).toBeUndefined();
    expect(replicaViolation(4, bounds)).toBeUndefined();
    expect(replicaViolation(5, bounds)).toMatch(/outside the allowed 1…4/);
    expect(replicaViolation(0, bounds)).toMatch(/outside/);
    expect(replicaViolation(-1, bounds)).toMatch(/negative/);
    expect(replicaViolation(1.5, bounds)).toMatch(/whole number/);
    expect(replicaViolation(Number.NaN, bounds)).toMatch(/must be a number/);
  });
});

describe('images', () => {
  it('finds the registry the way container runtimes do', () => {
    expect(registryOf('registry.burnrate.dev/vllm/vllm-openai:v0.6.3')).toBe('registry.burnrate.dev');
    expect(registryOf('localhost:5000/app:1')).toBe('localhost:5000');
    expect(registryOf('library/nginx:1.27')).toBe('docker.io');
    expect(registryOf('nginx:1.27')).toBe('docker.io');
  });

  it('allows only listed registries and needs a tag or digest', () => {
    const allowed = ['registry.burnrate.dev'];
    expect(imageViolation('registry.burnrate.dev/vllm/vllm-openai:v0.7.0', allowed)).toBeUndefined();
    expect(imageViolation(`registry.burnrate.dev/vllm/vllm-openai@sha256:${'a'.repeat(64)}`, allowed)).toBeUndefined();
    expect(imageViolation('docker.io/evil/miner:1', allowed)).toMatch(/docker\.io are not allowed/);
    expect(imageViolation('registry.burnrate.dev/vllm/vllm-openai', allowed)).toMatch(/tag or digest/);
    expect(imageViolation('registry.burnrate.dev/x:1; rm -rf /', allowed)).toMatch(/not an image reference/);
  });
});

describe('rate limit', () => {
  it('allows up to the limit within a minute', () => {
    expect(rateLimited(9, 10)).toBe(false);
    expect(rateLimited(10, 10)).toBe(true);
  });
});

describe('diffs and merge patches', () => {
  it('diffs leaves and keys container lists by name', () => {
    const before = {
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [
              { name: 'vllm', image: 'r/a:1' },
              { name: 'side', image: 'r/s:1' },
            ],
          },
        },
      },
    };
    const after = {
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              { name: 'vllm', image: 'r/a:2' },
              { name: 'side', image: 'r/s:1' },
            ],
          },
        },
      },
    };
    expect(diffObjects(before, after)).toEqual([
      { path: 'spec.replicas', before: 2, after: 3 },
      { path: 'spec.template.spec.containers[vllm].image', before: 'r/a:1', after: 'r/a:2' },
    ]);
  });

  it('builds a merge patch that removes what the target lacks', () => {
    const current = {
      metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 't', keep: 'k' } },
      spec: { containers: [{ name: 'a', image: 'x:2' }] },
    };
    const target = { metadata: { annotations: { keep: 'k' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } };
    expect(createMergePatch(current, target)).toEqual({
      metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': null } },
      spec: { containers: [{ name: 'a', image: 'x:1' }] },
    });
    expect(createMergePatch(target, target)).toBeUndefined();
  });
});

describe('audit CSV', () => {
  it('neutralises formulas and quotes per RFC 4180', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-2')).toBe(`"'-2"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell({ replicas: 3 })).toBe('"{""replicas"":3}"');
  });

  it('writes a header and one line per entry', () => {
    const csv = auditCsv([
      {
        id: 1,
        at: new Date('2026-11-24T10:00:00Z'),
        requestId: 'r1',
        actor: '=cmd|calc',
        role: 'operator',
        verb: 'scale',
        cluster: 'c',
        namespace: 'n',
        target: 'deployment/x',
        parameters: { replicas: 3 },
        dryRunDiff: null,
        result: 'succeeded',
        statusCode: 200,
        durationMs: 12,
        message: null,
      },
    ]);
    const [header, line] = csv.trim().split('\r\n');
    expect(header).toBe(
      'id,at,requestId,actor,role,verb,cluster,namespace,target,parameters,dryRunDiff,result,statusCode,durationMs,message',
    );
    expect(line).toBe(
      `1,2026-11-24T10:00:00.000Z,r1,"'=cmd|calc",operator,scale,c,n,deployment/x,"{""replicas"":3}",,succeeded,200,12,`,
    );
  });
});
