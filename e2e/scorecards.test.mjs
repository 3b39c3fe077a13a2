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
  const notEvaluated = card.getByText(/Not evaluated yet/);
  await badge.or(notEvaluated).first().waitFor();
  // The scheduled evaluation runs ~40 s after the backend starts; evaluate now instead of waiting for it.
  if (await notEvaluated.isVisible()) {
    await card.getByRole('button', { name: 'Refresh' }).click();
  }
  await badge.waitFor();
  assert.match(await badge.innerText(), /^(Below Bronze|Bronze|Silver|Gold)$/);
  assert.match(
    await card.getByLabel('Production readiness score').innerText(),
    /\d+(\.\d)? \/ 100/,
  );
  await card
    .getByText(/Last evaluated/)
    .first()
    .waitFor();

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
