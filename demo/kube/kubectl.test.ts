// The real kubectl (1.32) against the simulated API: tables, scale, rollouts, apply, watch, RBAC.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fastSpec, startTestCluster, type TestCluster } from './testing.ts';

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster(fastSpec('us-east-prod'));
});
afterAll(async () => {
  await t.close();
});

describe('kubectl against the demo API', () => {
  it('prints tables of nodes, pods and deployments across namespaces', async () => {
    const { stdout } = await t.kubectl(['get', 'nodes,pods,deploy', '-A']);
    expect(stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/m);
    expect(stdout).toMatch(/node\/ip-10-1-1-11\.us-east-1\.compute\.internal\s+Ready/);
    expect(stdout).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/m);
    expect(stdout).toMatch(/llm-serving\s+pod\/chat-llm-\w+-\w{5}\s+1\/1\s+Running/);
    expect(stdout).toMatch(/llm-serving\s+deployment\.apps\/chat-llm\s+2\/2\s+2\s+2\s+14d/);
  });

  it('lists Argo workflows with their phase', async () => {
    const { stdout } = await t.kubectl(['get', 'workflows', '-A']);
    expect(stdout).toMatch(/^NAMESPACE\s+NAME\s+STATUS\s+AGE/m);
    // A run every 2 hours over the last 24 h: 12 finished runs and the current one.
    expect(stdout.match(/chat-adapter-training-\d+\s+(Succeeded|Failed|Running)/g)?.length).toBe(13);
  });

  it('scales a deployment and the new pods are created and become ready', async () => {
    await t.kubectl(['scale', 'deploy/chat-llm', '-n', 'llm-serving', '--replicas=4']);
    const { stdout } = await t.kubectl(['get', 'deploy', 'chat-llm', '-n', 'llm-serving']);
    expect(stdout).toMatch(/chat-llm\s+\d\/4/);
    await eventually(async () => {
      const pods = await t.kubectl([
        'get',
        'pods',
        '-n',
        'llm-serving',
        '-l',
        'app.kubernetes.io/name=chat-llm',
        '--no-headers',
      ]);
      return pods.stdout.match(/1\/1\s+Running/g)?.length === 4 ? true : undefined;
    });
  });

  it('restarts a deployment with a rolling update to a new ReplicaSet', async () => {
    const before = await t.kubectl([
      'get',
      'rs',
      '-n',
      'search',
      '-l',
      'app.kubernetes.io/name=embedder',
      '-o',
      'name',
    ]);
    await t.kubectl(['rollout', 'restart', 'deploy/embedder', '-n', 'search']);
    await t.kubectl(['rollout', 'status', 'deploy/embedder', '-n', 'search', '--timeout=25s']);
    const after = await t.kubectl([
      'get',
      'rs',
      '-n',
      'search',
      '-l',
      'app.kubernetes.io/name=embedder',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas}{"\\n"}{end}',
    ]);
    expect(before.stdout.trim().split('\n')).toHaveLength(1);
    expect(after.stdout.trim().split('\n').sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/=0$/), expect.stringMatching(/=2$/)]),
    );
  });

  it('changes an image with set image and rolls it back with rollout undo', async () => {
    await t.kubectl([
      'set',
      'image',
      'deploy/reranker',
      'server=registry.burnrate.dev/search/reranker:2.1.0',
      '-n',
      'search',
    ]);
    await t.kubectl(['rollout', 'status', 'deploy/reranker', '-n', 'search', '--timeout=25s']);
    // As in a real cluster, the old pod may still be terminating (2 s grace) when the rollout reports done.
    const podImages = async (): Promise<string> =>
      (
        await t.kubectl([
          'get',
          'pods',
          '-n',
          'search',
          '-l',
          'app.kubernetes.io/name=reranker',
          '-o',
          'jsonpath={.items[*].spec.containers[0].image}',
        ])
      ).stdout;
    await expect
      .poll(podImages, { timeout: 10_000, interval: 500 })
      .toBe('registry.burnrate.dev/search/reranker:2.1.0');
    await t.kubectl(['rollout', 'undo', 'deploy/reranker', '-n', 'search']);
    await t.kubectl(['rollout', 'status', 'deploy/reranker', '-n', 'search', '--timeout=25s']);
    const image = await t.kubectl([
      'get',
      'deploy',
      'reranker',
      '-n',
      'search',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image.stdout).toBe('registry.burnrate.dev/search/reranker:2.0.1');
    const history = await t.kubectl(['rollout', 'history', 'deploy/reranker', '-n', 'search']);
    // Revision 1 became revision 3 (the rollback reuses its ReplicaSet).
    expect(history.stdout).toMatch(/^2\s/m);
    expect(history.stdout).toMatch(/^3\s/m);
    expect(history.stdout).not.toMatch(/^1\s/m);
  });

  it('streams changes with get -w', async () => {
    const child = spawn(
      '/usr/bin/kubectl',
      ['get', 'pods', '-n', 'search', '-w', '-l', 'app.kubernetes.io/name=reranker'],
      { env: { ...process.env, KUBECONFIG: t.kubeconfig } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      // A running pod: the previous test's rollback may still be terminating the old one, which the
      // watch lists first and which is gone by the time we would delete it.
      const running = /^(reranker-\w+-\w{5})\s+1\/1\s+Running/m;
      const pod = await eventually(() => running.exec(output)?.[1]);
      const seenBefore = new Set([...output.matchAll(/reranker-\w+-\w{5}/g)].map((m) => m[0]));
      await t.kubectl(['delete', 'pod', pod, '-n', 'search', '--wait=false']);
      await eventually(() => (new RegExp(`^${pod}\\s+\\S+\\s+Terminating`, 'm').test(output) ? true : undefined));
      // The ReplicaSet replaces the pod: a new name shows up in the stream.
      await eventually(() =>
        [...output.matchAll(/reranker-\w+-\w{5}/g)].some((m) => !seenBefore.has(m[0])) ? true : undefined,
      );
    } finally {
      child.kill();
    }
  });

  it('applies a new Deployment from a file', async () => {
    const file = join(t.kubeconfig, '..', 'hello.yaml');
    await writeFile(
      file,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: hello, namespace: default}',
        'spec:',
        '  replicas: 2',
        '  selector: {matchLabels: {app: hello}}',
        '  template:',
        '    metadata: {labels: {app: hello}}',
        '    spec: {containers: [{name: hello, image: "nginx:1.27", resources: {requests: {cpu: 100m, memory: 64Mi}}}]}',
        '',
      ].join('\n'),
    );
    const created = await t.kubectl(['apply', '-f', file]);
    expect(created.stdout).toContain('deployment.apps/hello created');
    await eventually(async () => {
      const { stdout } = await t.kubectl(['get', 'deploy', 'hello', '--no-headers']);
      return /hello\s+2\/2/.test(stdout) ? true : undefined;
    });
    const again = await t.kubectl(['apply', '-f', file]);
    expect(again.stdout).toContain('deployment.apps/hello unchanged');
  });

  it('answers auth can-i by role and forbids a viewer from scaling', async () => {
    const viewer = await t.kubectl(
      ['auth', 'can-i', 'patch', 'deployments', '-n', 'llm-serving', '--user', 'demo-viewer'],
      { allowFailure: true },
    );
    expect(viewer.stdout.trim()).toMatch(/^no/);
    const operator = await t.kubectl([
      'auth',
      'can-i',
      'patch',
      'deployments',
      '-n',
      'llm-serving',
      '--user',
      'demo-operator',
    ]);
    expect(operator.stdout.trim()).toBe('yes');
    const denied = await t.kubectl(
      ['scale', 'deploy/chat-llm', '-n', 'llm-serving', '--replicas=1', '--user', 'demo-viewer'],
      { allowFailure: true },
    );
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Forbidden');
  });
});
