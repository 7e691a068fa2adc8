import { execFileSync } from 'node:child_process';
import { demoRuntime } from './fixtures/demo-runtime';
import { expect, test } from './fixtures/test';
import { AuditPage } from './pages/audit-page';
import { SignInPage } from './pages/sign-in-page';

// The Workload page of issue 6 hosts <WorkloadActions>; keep this path in step with its route.
const chatPath = '/workloads/us-east-prod/llm-serving/Deployment/chat-llm';
const chat = { cluster: 'us-east-prod', namespace: 'llm-serving', kind: 'Deployment', name: 'chat-llm' };

function kubectlReplicas(): number {
  const out = execFileSync('kubectl', [
    '--kubeconfig',
    demoRuntime().kubeconfigPath,
    '--context',
    'us-east-prod',
    '-n',
    'llm-serving',
    'get',
    'deployment',
    'chat-llm',
    '-o',
    'jsonpath={.spec.replicas}',
  ]);
  return Number(out.toString());
}

test('a viewer sees no enabled action, and a direct tRPC scale is FORBIDDEN and audited', async ({ page }) => {
  await new SignInPage(page).signInAsDemo('viewer', chatPath);
  const actions = page.getByRole('region', { name: 'Actions' });
  await expect(actions.getByRole('button', { name: 'Restart' })).toBeDisabled();
  await expect(actions.getByRole('button', { name: 'Scale' })).toBeDisabled();
  await expect(actions.locator('button:enabled')).toHaveCount(0);
  await expect(actions.getByRole('button', { name: 'Scale' }).locator('..')).toHaveAttribute(
    'title',
    /operator role; you are viewer/,
  );

  const response = await page.request.post('/api/trpc/actions.execute', {
    headers: { 'content-type': 'application/json', origin: new URL(page.url()).origin },
    data: { json: { workload: chat, action: { verb: 'scale', replicas: 7 }, idempotencyKey: crypto.randomUUID() } },
  });
  expect(response.status()).toBe(403);
  expect(JSON.stringify(await response.json())).toContain('FORBIDDEN');

  const audit = new AuditPage(page);
  await audit.goto();
  await expect(audit.rows().filter({ hasText: 'demo-viewer' }).filter({ hasText: 'denied' }).first()).toBeVisible();
});

test('a cross-site POST to a mutation is refused', async ({ page }) => {
  await new SignInPage(page).signInAsDemo('operator');
  const response = await page.request.post('/api/trpc/actions.execute', {
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    data: { json: { workload: chat, action: { verb: 'scale', replicas: 7 }, idempotencyKey: crypto.randomUUID() } },
  });
  expect(response.status()).toBe(403);
  expect(await response.text()).toContain('Cross-site request refused');
});

test('queries and mutations go through the one tRPC route behind the proxy, with the same headers', async ({
  page,
}) => {
  await new SignInPage(page).signInAsDemo('viewer');
  const query = await page.request.get('/api/trpc/auth.status');
  // The session cookie is read: the signed-in viewer, not the anonymous one.
  expect((await query.json()).result.data.json).toMatchObject({ user: { role: 'viewer' }, anonymous: false });
  const viewerMutation = await page.request.post('/api/trpc/actions.execute', {
    headers: { 'content-type': 'application/json' },
    data: { json: { workload: chat, action: { verb: 'scale', replicas: 7 }, idempotencyKey: crypto.randomUUID() } },
  });
  expect(viewerMutation.status()).toBe(403);
  for (const response of [query, viewerMutation]) {
    expect(response.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
  }
  expect(await viewerMutation.text()).toContain('operator');
});

test('an operator scales chat-llm through dry run and confirm; a double click acts once', async ({ page }) => {
  await new SignInPage(page).signInAsDemo('operator', chatPath);
  const target = kubectlReplicas() === 3 ? 4 : 3;
  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByLabel('Replicas', { exact: true }).fill(String(target));
  await actions.getByRole('button', { name: 'Scale' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('table', { name: 'Changes' })).toContainText('spec.replicas');
  await expect(dialog).toContainText('Cost impact: not available yet');
  await dialog.getByRole('button', { name: 'Confirm' }).dblclick();
  await expect(actions.getByRole('status').filter({ hasText: 'Done' })).toBeVisible();
  await expect.poll(kubectlReplicas).toBe(target);

  const audit = new AuditPage(page);
  await audit.goto();
  await audit.search('chat-llm');
  const scaled = audit
    .rows()
    .filter({ hasText: 'demo-operator' })
    .filter({ hasText: `"replicas":${target}` });
  await expect(scaled.filter({ hasText: 'succeeded' })).toHaveCount(1);
});

test('an admin changes the replica bounds, and a scale outside them is refused', async ({ page, consoleErrors }) => {
  await new SignInPage(page).signInAsDemo('admin', chatPath);
  const bounds = page.getByRole('form', { name: 'Replica bounds' });
  await bounds.getByLabel('Min replicas').fill('1');
  await bounds.getByLabel('Max replicas').fill('5');
  await bounds.getByRole('button', { name: 'Save bounds' }).click();
  await expect(bounds).toContainText('now 1…5 (settings)');
  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByLabel('Replicas', { exact: true }).fill('6');
  await actions.getByRole('button', { name: 'Scale' }).click();
  await expect(actions.getByRole('alert')).toContainText('outside the allowed 1…5');
  // The refusal is an HTTP 400 from the dry run, which Chromium logs; it is the point of this test.
  const refusal = consoleErrors.filter((e) => e.includes('status of 400') && e.includes('actions.preview'));
  expect(refusal).toHaveLength(1);
  consoleErrors.splice(consoleErrors.indexOf(refusal[0]!), 1);
});

test('the client bundle holds no session secret and no Kubernetes token', async () => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const path = await import('node:path');
  const root = path.join(process.cwd(), '.next', 'static');
  const secrets = [
    'demo-burnrate-app-token',
    'demo-operator-token',
    'demo-admin-token',
    'demo-viewer-token',
    process.env.BURNRATE_SESSION_SECRET,
    process.env.BURNRATE_OIDC_CLIENT_SECRET,
  ].filter((s): s is string => Boolean(s));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.js')) files.push(full);
    }
  };
  walk(root);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const secret of secrets) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
  }
});
