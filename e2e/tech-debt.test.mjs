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

test('an owner adds a debt item on the Tech debt tab and finds it in the list and the org register', async () => {
  const title = `E2E: replace the hand-written retry loop ${Date.now()}`;
  await signInAsGuest(page);

  await page.goto(
    `${APP_URL}/catalog/default/component/payments-api/tech-debt`,
  );
  await page.getByRole('button', { name: 'Add debt item' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Effort (ideal days)').fill('0.5');
  await dialog.getByLabel('Interest (hours lost / month)').fill('16');
  await dialog.getByRole('button', { name: 'Add item' }).click();
  await dialog.waitFor({ state: 'detached' });

  const row = page.getByRole('row', { name: new RegExp(title) });
  await row.waitFor();
  // impact 3 (the default) + 16 h / 8 = 5, over 0.5 days = priority 10
  assert.match(await row.innerText(), /\b10\b/);

  await page.goto(`${APP_URL}/tech-debt`);
  await page.getByRole('row', { name: new RegExp(title) }).waitFor();
  assert.ok(
    await page.getByRole('row', { name: new RegExp(title) }).isVisible(),
  );
});

test('a non-owner sees the register read-only, with the reason', async () => {
  await page.goto(
    `${APP_URL}/catalog/default/component/checkout-api/tech-debt`,
  );
  await page
    .getByText('Read only: only the owners of component:default/checkout-api')
    .waitFor();
  assert.equal(
    await page.getByRole('button', { name: 'Add debt item' }).count(),
    0,
  );
});
