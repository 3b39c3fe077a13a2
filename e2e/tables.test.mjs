// The org pages' tables read at 1,440 px and stay usable at 1,024 px: no name breaks inside a word ("Paymen ts",
// "Documentati on") and the ownership problems stay one line each. Only a real browser lays tables out, so this is a
// journey rather than a component test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { APP_URL, openBrowser, signInAsGuest, startPortal } from './portal.mjs';

let stopPortal;
let browser;
let page;

before(async () => {
  stopPortal = await startPortal();
  ({ browser, page } = await openBrowser());
  await signInAsGuest(page);
});

after(async () => {
  await browser?.close();
  await stopPortal?.();
});

const WIDTHS = [1024, 1440];

// Each org page with a table, and what it says instead while there is nothing to list (on a fresh start the scorecards
// are evaluated a little after the backend starts, and nobody may be onboarding yet).
const PAGES = [
  { path: '/tech-debt', table: 'Debt register' },
  { path: '/ownership', table: 'Teams' },
  { path: '/dora', table: 'Teams' },
  { path: '/flow', table: 'Teams' },
  { path: '/onboarding/teams', empty: 'Nobody is onboarding yet' },
  { path: '/scorecards', empty: 'No results yet' },
];

/**
 * The words of the page's table cells that the browser broke over two lines. A word is a run of letters and digits,
 * so "payments-api" may still wrap after its hyphen; a word whose text spans two line boxes was cut inside.
 */
function brokenWords() {
  const broken = [];
  const cells = document.querySelectorAll('table td, table th');
  for (const cell of cells) {
    // Text cut with an ellipsis on purpose has the whole text as its tooltip; it is one line by construction.
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/[\p{L}\p{N}]{2,}/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(
          [...range.getClientRects()]
            .filter(r => r.width > 0)
            .map(r => Math.round(r.top)),
        );
        if (tops.size > 1) broken.push(`${match[0]} (in "${cell.innerText}")`);
      }
    }
  }
  return broken;
}

/** Opens an org page and waits for its tables; false when the page has nothing to list yet. */
async function settle(path, { table, empty } = {}) {
  await page.goto(`${APP_URL}${path}`);
  if (table) {
    await page
      .getByRole('heading', { name: new RegExp(`^${table}`) })
      .first()
      .waitFor({ timeout: 120_000 });
  }
  const tables = page.locator('table').first();
  const ready = empty ? tables.or(page.getByText(empty).first()) : tables;
  await ready.first().waitFor({ timeout: 120_000 });
  // Remote tables fill in after their first request.
  await page.waitForLoadState('networkidle');
  return (await page.locator('table').count()) > 0;
}

for (const width of WIDTHS) {
  test(`no table cell breaks a word at ${width} px`, async () => {
    await page.setViewportSize({ width, height: 900 });
    for (const { path, ...wait } of PAGES) {
      if (!(await settle(path, wait))) continue;
      const broken = await page.evaluate(brokenWords);
      assert.deepEqual(broken, [], `${path} at ${width} px`);
    }
  });

  test(`the debt register's category and owner columns read at ${width} px`, async () => {
    await page.setViewportSize({ width, height: 900 });
    await settle('/tech-debt', { table: 'Debt register' });
    const header = page.getByRole('columnheader', { name: 'Category' });
    await header.waitFor();
    const cells = page.locator('table tbody tr td');
    assert.ok((await cells.count()) > 0, 'the register has rows');
    const lineHeights = await page.evaluate(() => {
      const table = [...document.querySelectorAll('table')].find(t =>
        [...t.querySelectorAll('th')].some(th => th.textContent === 'Category'),
      );
      const headers = [...table.querySelectorAll('thead th')].map(
        th => th.textContent,
      );
      const column = headers.indexOf('Category');
      return [...table.querySelectorAll('tbody tr')].map(row => {
        const cell = row.children[column];
        const range = document.createRange();
        range.selectNodeContents(cell);
        const tops = new Set(
          [...range.getClientRects()]
            .filter(r => r.width > 0)
            .map(r => Math.round(r.top)),
        );
        return { text: cell.innerText, lines: tops.size };
      });
    });
    for (const { text, lines } of lineHeights) {
      assert.equal(lines, 1, `"${text}" is on one line at ${width} px`);
    }
  });

  test(`each ownership problem is one line, with the whole sentence as its tooltip, at ${width} px`, async () => {
    await page.setViewportSize({ width, height: 900 });
    await settle('/ownership', {
      table: 'Entities with ownership problems',
    });
    const problems = await page.evaluate(() => {
      const table = [...document.querySelectorAll('table')].find(t =>
        [...t.querySelectorAll('th')].some(th => th.textContent === 'Problems'),
      );
      if (!table) return [];
      const headers = [...table.querySelectorAll('thead th')].map(
        th => th.textContent,
      );
      const column = headers.indexOf('Problems');
      return [...table.querySelectorAll('tbody tr')].flatMap(row =>
        [...(row.children[column]?.querySelectorAll('[title]') ?? [])].map(
          el => ({
            title: el.getAttribute('title'),
            text: el.textContent,
            height: el.getBoundingClientRect().height,
            lineHeight: parseFloat(getComputedStyle(el).lineHeight) || 20,
          }),
        ),
      );
    });
    assert.ok(problems.length > 0, 'the demo has ownership problems');
    for (const p of problems) {
      assert.equal(p.title, p.text);
      assert.ok(
        p.height <= p.lineHeight * 1.5,
        `"${p.text}" is ${p.height} px tall at ${width} px`,
      );
    }
  });
}
