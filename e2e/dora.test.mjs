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
const DAY = 86_400_000;

let stopPortal;
let browser;
let page;

async function dora(path, init = {}) {
  const response = await fetch(`${BACKEND_URL}/api/dora/v1${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
  const body = await response.json().catch(() => undefined);
  if (!response.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(
        body,
      )}`,
    );
  return body;
}

/** Three weeks of daily deployments with their changes and one incident, for when the demo data is off. */
async function sendEvents() {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const events = [];
  for (let day = 1; day <= 21; day++) {
    const deployedAt = today - day * DAY + 15 * 3_600_000;
    const sha = `e2e${day.toString(16).padStart(4, '0')}${'0'.repeat(33)}`;
    events.push(
      {
        type: 'change',
        id: `e2e-pr-${day}`,
        entityRef: ENTITY_REF,
        sha,
        authoredAt: new Date(deployedAt - 6 * 3_600_000).toISOString(),
        createdAt: new Date(deployedAt - 5 * 3_600_000).toISOString(),
        mergedAt: new Date(deployedAt - 2 * 3_600_000).toISOString(),
      },
      {
        type: 'deployment',
        id: `e2e-deploy-${day}`,
        entityRef: ENTITY_REF,
        environment: 'production',
        status: 'success',
        finishedAt: new Date(deployedAt).toISOString(),
        commitShas: [sha],
        // One hotfix flagged by CI, so that the rework rate has something to show.
        ...(day === 2 ? { rework: true } : {}),
      },
    );
  }
  events.push({
    type: 'incident',
    id: 'e2e-incident-1',
    entityRef: ENTITY_REF,
    createdAt: new Date(today - 3 * DAY + 16 * 3_600_000).toISOString(),
    resolvedAt: new Date(today - 3 * DAY + 17 * 3_600_000).toISOString(),
  });
  const { accepted } = await dora('/events', {
    method: 'POST',
    body: JSON.stringify({ events }),
  });
  assert.equal(accepted, events.length);
}

/** Waits for the backend's demo history (vitals.demo.enabled seeds it once the catalog has the components). */
async function ensureHistory() {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const metrics = await dora(
      `/metrics?entityRef=${encodeURIComponent(ENTITY_REF)}`,
    ).catch(() => undefined);
    if (metrics?.deploymentFrequency.deployments > 0) return;
    await sleep(3000);
  }
  await sendEvents();
}

before(async () => {
  stopPortal = await startPortal();
  ({ browser, page } = await openBrowser());
  await ensureHistory();
});

after(async () => {
  await browser?.close();
  await stopPortal?.();
});

test("a service's DORA tab shows its four metrics, each with a tier", async () => {
  await signInAsGuest(page);
  await page.goto(`${APP_URL}/catalog/default/component/payments-api/dora`);

  const metrics = [
    'Deployment frequency',
    'Lead time for changes',
    'Change failure rate',
    'Time to restore service',
  ];
  for (const name of metrics) {
    const tile = page.getByRole('region', { name });
    await tile.waitFor();
    assert.match(
      await tile.getByLabel(`${name} tier:`).first().getAttribute('aria-label'),
      /tier: (Elite|High|Medium|Low|Not enough data)$/,
    );
  }
  assert.match(
    await page
      .getByRole('region', { name: 'Deployment frequency' })
      .innerText(),
    /days? \/ (week|month)/,
  );
  assert.match(
    await page
      .getByRole('region', { name: 'Lead time for changes' })
      .innerText(),
    /\d+(\.\d)? (min|h|days?)/,
  );
  assert.match(
    await page.getByRole('region', { name: 'Change failure rate' }).innerText(),
    /\d+(\.\d)?%/,
  );

  // The deployments behind the figures.
  await page
    .getByRole('row', { name: /production/ })
    .first()
    .waitFor();
});

test("a service's DORA tab shows DORA 2024's rework rate and failed deployment recovery time, and the rework deployments", async () => {
  // Still on the payments-api DORA tab.
  const rework = page.getByRole('region', { name: 'Rework rate' });
  await rework.waitFor();
  const reworkText = await rework.innerText();
  assert.match(reworkText, /\d+(\.\d)?%/, reworkText);
  assert.match(reworkText, /\d+ of \d+ deployments? were rework/, reworkText);
  // No benchmark gives the rework rate a tier: it says so rather than showing nothing.
  assert.equal(
    await rework.getByLabel('Rework rate tier:').getAttribute('aria-label'),
    'Rework rate tier: No tier',
  );

  const recovery = page.getByRole('region', {
    name: 'Failed deployment recovery time',
  });
  const recoveryText = await recovery.innerText();
  assert.match(recoveryText, /\d+ (min|h|days?)|—/, recoveryText);
  assert.match(
    await recovery
      .getByLabel('Failed deployment recovery time tier:')
      .getAttribute('aria-label'),
    /tier: (Elite|High|Medium|Low|Not enough data)$/,
  );
  // Their weekly charts sit with the others.
  await page.getByRole('figure', { name: 'Rework rate' }).waitFor();
  await page
    .getByRole('figure', { name: 'Failed deployment recovery time' })
    .waitFor();

  // The figure lists the deployments behind it, each saying why it is rework.
  await rework
    .getByRole('button', { name: 'List the rework deployments' })
    .click();
  await page.getByRole('heading', { name: 'Rework deployments' }).waitFor();
  const [, reworkCount] = reworkText.match(/(\d+) of \d+ deployments? were/);
  if (Number(reworkCount) > 0) {
    const row = page.getByRole('row', { name: /production/ }).first();
    await row.waitFor();
    assert.match(
      await row.innerText(),
      /Rework[\s\S]*(Flagged as rework|First deployment while .+ was open)/,
    );
  } else {
    await page.getByText(/No deployment in this window was rework/).waitFor();
  }

  // Picking the 2024 benchmark tiers by the 2024 report; the rework rate still has no tier.
  await page
    .getByRole('button', { name: /Benchmark/ })
    .first()
    .click();
  await page.getByRole('option', { name: '2024 State of DevOps' }).click();
  await page
    .getByRole('region', { name: 'Failed deployment recovery time' })
    .getByLabel(/tier: (Elite|High|Medium|Low|Not enough data)$/)
    .waitFor();
  assert.equal(
    await page
      .getByRole('region', { name: 'Rework rate' })
      .getByLabel('Rework rate tier:')
      .getAttribute('aria-label'),
    'Rework rate tier: No tier',
  );
});

test('the DORA page compares the teams', async () => {
  await page.goto(`${APP_URL}/dora`);
  const payments = page.getByRole('row', { name: /Payments/ });
  await payments.waitFor();
  assert.ok(
    await payments
      .getByLabel(/Payments Lead time for changes tier:/)
      .isVisible(),
  );
  assert.ok(
    await payments.getByLabel('Payments Rework rate tier: No tier').isVisible(),
  );
  assert.ok(
    await payments
      .getByLabel(/Payments Failed deployment recovery time tier:/)
      .isVisible(),
  );
  await page.getByRole('list', { name: 'Teams per tier' }).waitFor();
});
