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
const CAMPAIGN = 'TechDocs and a runbook for every service';

let stopPortal;
let browser;
let page;

async function get(path) {
  const response = await fetch(`${BACKEND_URL}/api${path}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return response.json();
}

/** Waits for the demo: Payments' DORA lead time answers and the goals demo seeded its campaign with a burn-up. */
async function ensureDemoData() {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const campaigns = await get('/goals/v1/campaigns').catch(() => undefined);
    const demo = campaigns?.campaigns.find(c => c.name === CAMPAIGN);
    if (demo?.snapshotAt) return;
    await sleep(3000);
  }
  throw new Error('The goals demo has no campaign with a snapshot');
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

test('a Payments member sets a goal bound to DORA lead time, sees the live figure before saving, then its progress on /goals', async () => {
  const objective = `E2E: ship in hours ${Date.now()}`;
  await page.goto(`${APP_URL}/goals`);
  await page.getByRole('button', { name: 'New goal' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Objective').fill(objective);
  // The guest is in Payments, so the form starts on Payments with team lead time (the first figure offered).
  assert.match(
    await dialog.getByRole('button', { name: 'Team' }).innerText(),
    /Payments/i,
  );
  await dialog.getByLabel('Key result 1 title').fill('Lead time under a day');

  const preview = dialog.getByRole('status', {
    name: 'Live preview of Lead time under a day',
  });
  await preview.getByText(/Lead time for changes now:/).waitFor();
  const text = await preview.innerText();
  const match = /now: ([\d.,]+) hours/.exec(text);
  assert.ok(match, `preview: ${text}`);
  assert.match(text, /Baseline if saved now: [\d.,]+ hours/);
  const live = Number(match[1].replace(/,/g, ''));
  assert.ok(live > 0, `live lead time ${live}`);

  // Halve the lead time this quarter.
  const target = Math.round((live / 2) * 10) / 10;
  await dialog.getByLabel('Key result 1 target').fill(String(target));
  await dialog.getByRole('button', { name: 'Create goal' }).click();
  await dialog.waitFor({ state: 'detached' });

  const goal = page.getByRole('article', { name: `Goal: ${objective}` });
  await goal.waitFor();
  const keyResult = goal.getByRole('region', {
    name: 'Key result: Lead time under a day',
  });
  const shown = await keyResult.innerText();
  assert.match(shown, /Current \(live\)\s+[\d.,]+ hours/, shown);
  assert.match(shown, /Baseline\s+[\d.,]+ hours/, shown);
  assert.match(shown, new RegExp(`Target\\s+${target} hours`), shown);
  assert.match(shown, /Lower is better/, shown);
  // Set today from today's value: no progress yet, against whatever share of the quarter has passed.
  assert.match(shown, /\d+(\.\d)?% \(expected \d+(\.\d)?% by today\)/, shown);
  assert.match(shown, /On track|At risk|Off track/, shown);
  const bar = keyResult.getByRole('progressbar', {
    name: 'Progress of Lead time under a day',
  });
  assert.ok(Number(await bar.getAttribute('aria-valuenow')) >= 0);
});

test("the demo campaign's page shows its deadline, burn-up and capacity per team", async () => {
  await page.goto(`${APP_URL}/campaigns`);
  await page.getByRole('link', { name: CAMPAIGN }).click();
  await page.getByRole('heading', { name: CAMPAIGN }).waitFor();
  await page.getByText(/\(\d+ days? left\)/).waitFor();

  const burnUp = page.getByRole('figure', {
    name: 'Burn-up of the whole campaign',
  });
  await burnUp.waitFor();
  // Recharts drew the areas of the days counted (28 days of demo burn-up).
  await burnUp.locator('.recharts-area-area').first().waitFor();
  const ticks = await burnUp
    .locator('.recharts-xAxis .recharts-cartesian-axis-tick')
    .count();
  assert.ok(ticks >= 2, `x axis ticks: ${ticks}`);
  assert.match(
    await page
      .getByText(/\d+ of \d+ done \(\d+ waived\)/)
      .first()
      .innerText(),
    /\d+ of \d+ done/,
  );
  const teams = page.getByRole('table', { name: 'Teams' });
  await teams.waitFor();
  assert.ok((await teams.getByRole('row').count()) > 1);
});
