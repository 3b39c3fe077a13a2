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
const ENTITY_PAGE = `${APP_URL}/catalog/default/component/payments-api`;
const RUN = Date.now();
// A fresh incident of the payments API for this run, resolved a minute ago: the first row of the DORA drill-down.
const INCIDENT_ID = `e2e-pm-incident-${RUN}`;
const TITLE = `E2E: card payments failed while the pool was exhausted ${RUN}`;
const ACTION_ITEM = `E2E: alert on connection pool saturation ${RUN}`;

let stopPortal;
let browser;
let page;

async function api(path, init = {}) {
  const response = await fetch(`${BACKEND_URL}/api${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(
        body,
      )}`,
    );
  }
  return body;
}

/** Waits for the DORA demo history (seeded once the catalog has the components), then reports this run's incident. */
async function sendIncident() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const metrics = await api(
      `/dora/v1/metrics?entityRef=${encodeURIComponent(ENTITY_REF)}`,
    ).catch(() => undefined);
    if (metrics?.deploymentFrequency.deployments > 0) break;
    await sleep(3000);
  }
  const now = Date.now();
  const { accepted } = await api('/dora/v1/events', {
    method: 'POST',
    body: JSON.stringify({
      events: [
        {
          type: 'incident',
          id: INCIDENT_ID,
          entityRef: ENTITY_REF,
          severity: 'SEV2',
          createdAt: new Date(now - 95 * 60_000).toISOString(),
          resolvedAt: new Date(now - 60_000).toISOString(),
        },
      ],
    }),
  });
  assert.equal(accepted, 1);
}

/**
 * Waits (a few minutes at most) for the postmortems demo, which starts postmortems for recent demo incidents once DORA
 * and the register have theirs: this run's incident is sent after it, so that the demo never takes it.
 */
async function waitForPostmortemsDemo() {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    await page.goto(`${ENTITY_PAGE}/postmortems`);
    const heading = page.getByText(/^Postmortems \(\d+\)$/);
    await heading.waitFor();
    if (!/\(0\)$/.test(await heading.innerText())) return;
    await sleep(5000);
  }
}

before(async () => {
  stopPortal = await startPortal();
  ({ browser, page } = await openBrowser());
  await signInAsGuest(page);
  await waitForPostmortemsDemo();
  await sendIncident();
});

after(async () => {
  await browser?.close();
  await stopPortal?.();
});

test("the DORA drill-down offers to start a postmortem for a new incident, and leads to the service's Postmortems tab", async () => {
  await page.goto(`${ENTITY_PAGE}/dora`);
  await page.getByRole('tab', { name: 'Incidents' }).click();
  const row = page.getByRole('row', { name: new RegExp(INCIDENT_ID) });
  await row.waitFor();
  await row.getByRole('link', { name: 'Start a postmortem' }).click();

  await page.waitForURL(/\/payments-api\/postmortems\?incident=/);
  const dialog = page.getByRole('dialog');
  await dialog.getByText(INCIDENT_ID).waitFor();
  await dialog.getByRole('textbox', { name: 'Title' }).fill(TITLE);
  await dialog.getByRole('button', { name: 'Start the draft' }).click();
  await page.getByText(`Editing: ${TITLE}`).waitFor();
  assert.match(page.url(), /[?&]postmortem=[0-9a-f-]{36}&edit=1/);
});

test('the editor flags blameful wording as it is typed, and saves the postmortem', async () => {
  await page
    .getByRole('textbox', { name: /^Summary/ })
    .fill(
      'Card payments failed for an hour while the pool of database connections was exhausted.',
    );
  const factors = page.getByRole('textbox', { name: /^Contributing factors/ });
  await factors.fill('@jonas.berg should have raised the pool size.');
  const hints = page.getByRole('note', {
    name: 'Blameless wording hints for Contributing factors',
  });
  await hints.waitFor();
  assert.match(await hints.innerText(), /"@jonas\.berg" is somebody's handle/);
  assert.match(await hints.innerText(), /"should have" assigns blame/);

  await factors.fill(
    'The pool size is fixed at deploy time, and nothing alerts before it runs out.',
  );
  await hints.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Add a timeline entry' }).click();
  await page
    .getByLabel('Entry 1: when')
    .fill(new Date(RUN - 95 * 60_000).toISOString().slice(0, 19));
  await page
    .getByRole('textbox', { name: 'Entry 1: what happened' })
    .fill('The payment error-rate alert fires.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText(/^Saved \(version \d+\)\.$/).waitFor();
});

test('an action item becomes a debt item with its live status, and is in the register', async () => {
  await page.getByRole('button', { name: 'Create debt item' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: /^Title/ }).fill(ACTION_ITEM);
  await dialog
    .getByRole('textbox', { name: /^Effort \(engineer-days\)/ })
    .fill('2');
  await dialog.getByRole('button', { name: /^Impact/ }).click();
  await page.getByRole('option', { name: '4 · serious' }).click();
  await dialog.getByRole('button', { name: 'Create debt item' }).click();
  await dialog.waitFor({ state: 'detached' });

  const item = page.getByRole('row', { name: new RegExp(ACTION_ITEM) });
  await item.waitFor();
  const text = await item.innerText();
  assert.match(text, /Open/);
  assert.match(text, /payments/);
  assert.match(text, /Created from this postmortem/);

  await item.getByRole('link', { name: ACTION_ITEM }).click();
  await page.waitForURL(/\/payments-api\/tech-debt$/);
  await page.getByRole('row', { name: new RegExp(ACTION_ITEM) }).waitFor();
});

test("the DORA drill-down now links the incident to its draft, and the org page shows the teams' coverage", async () => {
  await page.goto(`${ENTITY_PAGE}/dora`);
  await page.getByRole('tab', { name: 'Incidents' }).click();
  const row = page.getByRole('row', { name: new RegExp(INCIDENT_ID) });
  await row.getByRole('link', { name: 'Postmortem (draft)' }).waitFor();
  assert.match(await row.innerText(), new RegExp(TITLE));

  await page.goto(`${APP_URL}/postmortems`);
  await page.getByRole('region', { name: 'Coverage' }).waitFor();
  await page.getByText('Coverage by team (lowest first)').waitFor();
  // The coverage table's row of Payments: the team, then seven figures, the coverage fifth.
  await page
    .getByRole('cell', { name: 'payments', exact: true })
    .first()
    .waitFor();
  const rows = await page
    .getByRole('row')
    .evaluateAll(all => all.map(r => [...r.cells].map(c => c.innerText)));
  const payments = rows.find(
    cells => cells.length === 8 && cells[0] === 'payments',
  );
  assert.ok(payments, JSON.stringify(rows));
  assert.match(payments[4], /^\d+(\.\d)?%$|^—$/, payments.join(' | '));
});
