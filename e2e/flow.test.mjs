import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import {
  APP_URL,
  BACKEND_URL,
  openBrowser,
  signInAsGuest,
  startPortal,
} from './portal.mjs';

// The local static token from app-config.yaml (backend.auth.externalAccess), as CI would use it.
const TOKEN = process.env.VITALS_CI_TOKEN ?? 'vitals-local-ci-token';
const ENTITY_REF = 'component:default/payments-api';

let stopPortal;
let browser;
let page;

async function dora(path) {
  const response = await fetch(`${BACKEND_URL}/api/dora/v1${path}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return response.json();
}

/** Waits for the backend's demo pull requests and pipeline runs (seeded once the catalog has the components). */
async function ensureDemoData() {
  const ref = encodeURIComponent(ENTITY_REF);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const [flow, pipelines] = await Promise.all([
      dora(`/flow?entityRef=${ref}`).catch(() => undefined),
      dora(`/pipelines?entityRef=${ref}`).catch(() => undefined),
    ]);
    if (flow?.pullRequests > 0 && pipelines?.figures.runs > 0) return;
    await sleep(3000);
  }
  throw new Error('The demo data has no pull requests or pipeline runs');
}

before(async () => {
  stopPortal = await startPortal();
  ({ browser, page } = await openBrowser());
  await ensureDemoData();
  await signInAsGuest(page);
});

after(async () => {
  await browser?.close();
  await stopPortal?.();
});

const DURATION = /\d+ (s|min|h|days?)/;

test("a service's Flow tab shows the four parts, the pull requests behind pickup and the waiting ones", async () => {
  await page.goto(`${APP_URL}/catalog/default/component/payments-api`);
  // The entity page's tabs are links; the sidebar's "Flow" goes to the org page.
  await page
    .locator('a[href$="/component/payments-api/flow"]', { hasText: /^Flow$/ })
    .first()
    .click();
  await page.waitForURL(/\/payments-api\/flow$/);

  for (const part of ['Coding', 'Pickup', 'Review', 'Deploy']) {
    const tile = page.getByRole('region', { name: part, exact: true });
    await tile.waitFor();
    const text = await tile.innerText();
    assert.match(text, DURATION, `${part}: ${text}`);
    assert.match(text, /median of \d+ pull requests?/, `${part}: ${text}`);
    assert.match(text, /p75 /, `${part}: ${text}`);
  }

  await page.getByRole('button', { name: /^Pickup: list the/ }).click();
  await page
    .getByRole('heading', {
      name: 'Pull requests behind the pickup time, longest first',
    })
    .waitFor();
  const firstPullRequest = page.getByRole('row', { name: /payments-api-pr-/ });
  await firstPullRequest.first().waitFor();
  assert.match(await firstPullRequest.first().innerText(), DURATION);

  // Payments leaves pull requests waiting, the older ones overdue.
  await page
    .getByRole('heading', { name: /^Waiting for a first review/ })
    .waitFor();
  const overdue = page.getByRole('row').filter({ hasText: 'Overdue' });
  await overdue.first().waitFor();
  assert.match(await overdue.first().innerText(), DURATION);
});

test("the Flow tab's CI/CD friction shows Payments' flaky pipelines", async () => {
  const flaky = page.getByRole('region', { name: 'Flaky rate' });
  await flaky.waitFor();
  assert.match(await flaky.innerText(), /\d+(\.\d)?%/);
  const ci = page.getByRole('row', { name: /^CI\b/ });
  await ci.waitFor();
  assert.match(await ci.innerText(), /\d+(\.\d)?%/);
});

test('the Flow page compares the teams and lists the chosen team’s pipelines', async () => {
  await page.goto(`${APP_URL}/flow`);
  const payments = page.getByRole('row', { name: /^Payments/ });
  await payments.waitFor();
  const cells = await payments.getByRole('cell').allInnerTexts();
  // Team, pull requests, then the four medians.
  assert.match(cells[1], /^\d+$/, cells.join(' | '));
  for (const median of cells.slice(2, 6)) assert.match(median, DURATION);

  // The guest is in Payments, so its lists are the ones shown.
  await page
    .getByRole('heading', { name: /^Waiting for a first review in Payments/ })
    .waitFor();
  const pipelines = page.getByRole('heading', {
    name: 'Pipelines',
    exact: true,
  });
  await pipelines.waitFor();
  const flakyRate = await page
    .getByRole('region', { name: 'Flaky rate' })
    .innerText();
  assert.match(flakyRate, /\d+(\.\d)?%/);
  const ci = page.getByRole('row', { name: /^CI\b/ }).first();
  assert.match(await ci.innerText(), /\d+(\.\d)?%/);
});
