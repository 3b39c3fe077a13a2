import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { APP_URL, openBrowser, signInAsGuest, startPortal } from './portal.mjs';

let stopPortal;
let browser;
let page;

before(async () => {
  stopPortal = await startPortal();
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await stopPortal?.();
});

test('a service shows its scorecard level, and the org page shows where the teams stand', async () => {
  await signInAsGuest(page);

  await page.goto(`${APP_URL}/catalog/default/component/payments-api`);
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Scorecards', { exact: true }) })
    .filter({ has: page.getByRole('button', { name: 'Refresh' }) });
  const badge = card.getByLabel(/^Production readiness level: /);
  // A fresh portal evaluates at start-up once the catalog is in: the level shows without a click on Refresh.
  await badge.waitFor({ timeout: 60_000 });
  assert.match(await badge.innerText(), /^(Below Bronze|Bronze|Silver|Gold)$/);
  assert.match(
    await card.getByLabel('Production readiness score').innerText(),
    /\d+(\.\d)? \/ 100/,
  );
  await card
    .getByText(/Last evaluated/)
    .first()
    .waitFor();

  // The trend chart shows the last 90 days of the weekly demo history, not a single dot. The history follows the
  // first evaluation within seconds: a tab opened before it says "No history yet" until it is opened again.
  const history = page
    .getByRole('img', { name: 'Production readiness score over time' })
    .first();
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.goto(
      `${APP_URL}/catalog/default/component/payments-api/scorecards`,
    );
    await history
      .or(page.getByText('No history yet.').first())
      .first()
      .waitFor();
    if ((await history.isVisible()) || Date.now() > deadline) break;
    await page.waitForTimeout(2000);
  }
  await history.waitFor({ timeout: 1000 });
  await history.locator('.recharts-line-dot').first().waitFor();
  const dots = await history.locator('.recharts-line-dot').count();
  assert.ok(dots >= 12, `expected weekly history, saw ${dots} points`);

  // The team's next best actions: ranked, each with the link that fixes it.
  await page.goto(`${APP_URL}/catalog/default/group/payments`);
  const actions = page.getByRole('table', {
    name: /^Next best actions of /,
  });
  await actions.waitFor();
  const fixes = actions.getByRole('link', { name: /^Fix: / });
  await fixes.first().waitFor();
  assert.ok((await fixes.count()) > 0);
  await fixes.first().click();
  await page.waitForURL(/\/catalog\/|\/onboarding/);

  await page.goto(`${APP_URL}/scorecards`);
  const levels = page.getByRole('list', {
    name: 'Production readiness level distribution',
  });
  await levels.waitFor();
  assert.match(await levels.innerText(), /Bronze: \d+/);
  const paymentsCells = page.getByRole('cell', {
    name: /^Payments?[^,]*, .+: \d+ of \d+ passing \(\d+%\)$/i,
  });
  await paymentsCells.first().waitFor();
  assert.ok((await paymentsCells.count()) > 0);
});
