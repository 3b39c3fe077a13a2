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

/** The "n of m steps done" figure of a checklist on the page. */
async function stepsDone(checklist) {
  const text = await checklist.getByLabel('Steps done').innerText();
  const match = /(\d+) of (\d+) steps done/.exec(text);
  assert.ok(match, `unexpected progress text: ${text}`);
  return Number(match[1]);
}

test('a new engineer ticks a manual step on My onboarding, and it is still ticked after a reload', async () => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'My onboarding' }).first().click();
  await page.waitForURL(/\/onboarding$/);

  const checklist = page.getByRole('region', { name: 'Joining Payments' });
  const box = checklist.getByRole('checkbox', {
    name: 'Read the on-call runbook',
  });
  await box.waitFor();
  // The portal is shared by every journey and not restarted: work from whatever state the step is in, and put it back.
  const wasDone = await box.isChecked();
  const doneBefore = await stepsDone(checklist);

  await box.click();
  await page.waitForFunction(
    () => !document.querySelector('[aria-label="Saving"]'),
  );
  assert.equal(await box.isChecked(), !wasDone);
  assert.equal(await checklist.getByText(/Could not save/).count(), 0);

  await page.reload();
  await box.waitFor();
  assert.equal(await box.isChecked(), !wasDone);
  assert.equal(await stepsDone(checklist), doneBefore + (wasDone ? -1 : 1));
  if (!wasDone) {
    assert.match(
      await checklist
        .getByRole('listitem', { name: 'Read the on-call runbook' })
        .innerText(),
      /Done on /,
    );
  }

  await box.click();
  await page.waitForFunction(
    () => !document.querySelector('[aria-label="Saving"]'),
  );
  await page.reload();
  await box.waitFor();
  assert.equal(await box.isChecked(), wasDone);
  assert.equal(await stepsDone(checklist), doneBefore);
});

test('automatic steps say what completes them and cannot be ticked', async () => {
  await page.goto(`${APP_URL}/onboarding`);
  const checklist = page.getByRole('region', { name: 'Joining Payments' });
  const step = checklist.getByRole('listitem', {
    name: 'Get a change merged in a Payments service',
  });
  await step.waitFor();
  assert.equal(await step.getByRole('checkbox').count(), 0);
  assert.match(
    await step.getByLabel('State').innerText(),
    /Completes when a change you authored is merged in component:default\/payments-api|Change [0-9a-f]{7} merged/,
  );
});

test('a service page shows the checklist for that service', async () => {
  await page.goto(`${APP_URL}/catalog/default/component/payments-api`);
  await page.getByText('Get started with this service').waitFor();
  await page.getByText('Getting started with a service').first().waitFor();
  assert.equal(
    await page
      .getByRole('checkbox', {
        name: 'Clone the repository and run the tests locally',
      })
      .count(),
    1,
  );
});

test('the Teams tab compares teams and the team page shows who is onboarding', async () => {
  await page.goto(`${APP_URL}/onboarding`);
  await page.getByRole('tab', { name: 'Teams' }).click();
  await page.waitForURL(/\/onboarding\/teams$/);
  await page.getByRole('row', { name: /^Payments/ }).waitFor();
  await page.getByRole('table', { name: 'Cohorts' }).waitFor();

  await page.getByRole('tab', { name: /^Templates/ }).click();
  await page.getByRole('row', { name: /Joining Payments/ }).waitFor();

  await page.goto(`${APP_URL}/catalog/default/group/payments`);
  const people = page.getByRole('table', { name: 'People onboarding' });
  await people.waitFor();
  assert.ok((await people.getByRole('row').count()) > 1);
});
