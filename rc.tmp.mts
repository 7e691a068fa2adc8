import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3300', control = 'http://127.0.0.1:9751';
const post = async (p: string, body: unknown) => { const r = await fetch(control + p, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }); if (!r.ok) throw new Error(`${p} ${r.status} ${await r.text()}`); };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto(`${base}/serving?cluster=us-east-prod`);
const conn = page.locator('[data-testid="cluster-connection"][data-cluster="us-east-prod"]');
await conn.waitFor();
for (let round = 0; round < 6; round++) {
  await page.waitForFunction(() => document.querySelector('[data-testid="cluster-connection"][data-cluster="us-east-prod"]')?.getAttribute('data-state') === 'connected', null, { timeout: 60000 }).catch(() => console.log('not connected at start'));
  await post('/clusters/us-east-prod/api-server', { up: false });
  const t0 = Date.now();
  await page.waitForFunction(() => document.querySelector('[data-testid="cluster-connection"][data-cluster="us-east-prod"]')?.getAttribute('data-state') === 'reconnecting', null, { timeout: 20000 });
  await post('/clusters/us-east-prod/scale', { namespace: 'search', name: 'reranker', replicas: 2 + (round % 2) });
  await post('/clusters/us-east-prod/api-server', { up: true });
  const t1 = Date.now();
  const ok = await page.waitForFunction(() => document.querySelector('[data-testid="cluster-connection"][data-cluster="us-east-prod"]')?.getAttribute('data-state') === 'connected', null, { timeout: 50000 }).then(() => true, () => false);
  const health = await (await fetch(`${base}/api/health`)).text();
  console.log(`round ${round}: reconnecting after ${t1 - t0} ms; connected=${ok} after ${Date.now() - t1} ms; text=${(await conn.textContent())?.slice(0, 150)}`);
  if (!ok) { console.log(health.slice(0, 1500)); break; }
}
await browser.close();
