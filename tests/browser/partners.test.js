// What partners use, in headless Chromium, on the example site opened from
// disk. The tracker: with JavaScript, choosing a filter shows just the
// matching rows, updates the count and puts the state in the address, and
// opening that address gives the same view; without JavaScript, the view
// links show their rows. The search: a word of a milestone finds it, and
// the result links to the milestone itself.
//
// Environment: BOARDPRESS_BIN, CHROMIUM, as for site.test.js.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const BIN = process.env.BOARDPRESS_BIN || join(REPO, 'target', 'debug', 'boardpress');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WORK = mkdtempSync(join(tmpdir(), 'boardpress-partners-'));
const OUT = join(WORK, 'out');
const TRACKER = pathToFileURL(join(OUT, 'tracker', 'index.html')).href;
const SEARCH = pathToFileURL(join(OUT, 'search', 'index.html')).href;

let browser;

before(async () => {
  const r = spawnSync(BIN, ['build', '--root', REPO, '--output', OUT], { encoding: 'utf8' });
  assert.equal(r.status, 0, `build failed:\n${r.stdout}${r.stderr}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  rmSync(WORK, { recursive: true, force: true });
});

async function open(url, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, close: () => context.close() };
}

/** The rows a reader sees: their status, leads and whether overdue. */
function visibleRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('.tracker-table tbody tr')]
    .filter((tr) => tr.getClientRects().length > 0)
    .map((tr) => ({
      status: tr.dataset.status,
      document: tr.dataset.document,
      leads: tr.dataset.leads.split(' '),
      due: tr.dataset.due,
      overdue: tr.hasAttribute('data-overdue'),
      text: tr.querySelector('th').textContent.trim(),
    })));
}

const allRows = (page) => page.$$eval('.tracker-table tbody tr', (rows) => rows.length);
const countText = (page) => page.$eval('.tracker-count', (p) => p.textContent.trim());

/** The number in an option's or link's label: "Amber: at risk (4)". */
const labelled = (label) => Number(/\((\d+)\)\s*$/.exec(label)[1]);

test('choosing a status shows only its rows, counts them and puts the choice in the address', async () => {
  const { page, errors, close } = await open(TRACKER);
  try {
    assert.equal(await page.isVisible('form.tracker-filters'), true, 'the filters are shown with JavaScript');
    const total = await allRows(page);
    assert.equal(await countText(page), `Showing all ${total} milestones.`);
    const options = await page.$$eval('select[name=status] option', (os) => os.filter((o) => o.value).map((o) => ({ value: o.value, label: o.textContent })));
    assert.ok(options.length >= 3, JSON.stringify(options));
    for (const o of options) {
      await page.selectOption('select[name=status]', o.value);
      const rows = await visibleRows(page);
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r.status === o.value), `${o.value}: ${JSON.stringify(rows)}`);
      assert.equal(rows.length, labelled(o.label), o.label);
      assert.equal(await countText(page), `Showing ${rows.length} of ${total} milestones.`);
      assert.equal(new URL(page.url()).hash, `#status=${o.value}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a shared address opens the same filters and rows', async () => {
  const first = await open(TRACKER);
  let url;
  let expected;
  try {
    const lead = await first.page.$eval('select[name=lead] option:nth-child(2)', (o) => o.value);
    await first.page.selectOption('select[name=lead]', lead);
    await first.page.check('#f-overdue');
    expected = await visibleRows(first.page);
    assert.ok(expected.every((r) => r.overdue && r.leads.includes(lead)), JSON.stringify(expected));
    url = first.page.url();
    assert.match(new URL(url).hash, /lead=.*overdue=1/);
  } finally {
    await first.close();
  }
  const second = await open(url);
  try {
    assert.deepEqual(await visibleRows(second.page), expected);
    assert.equal(await second.page.isChecked('#f-overdue'), true);
    // Clearing the filters shows everything again.
    await second.page.click('button[type=reset]');
    await second.page.waitForFunction(() => /^Showing all/.test(document.querySelector('.tracker-count').textContent));
    assert.equal((await visibleRows(second.page)).length, await allRows(second.page));
  } finally {
    await second.close();
  }
});

test('due dates filter by the last day a timescale allows', async () => {
  const { page, close } = await open(`${TRACKER}#after=2013-01-01&before=2013-03-31`);
  try {
    const rows = await visibleRows(page);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.due >= '2013-01-01' && r.due <= '2013-03-31'), JSON.stringify(rows));
    const all = await page.$$eval('.tracker-table tbody tr', (trs) => trs.map((tr) => tr.dataset.due));
    assert.equal(rows.length, all.filter((d) => d >= '2013-01-01' && d <= '2013-03-31').length);
  } finally {
    await close();
  }
});

test('a view link sets its filter in place', async () => {
  const { page, close } = await open(TRACKER);
  try {
    const link = page.locator('.tracker-views a[data-view=overdue]');
    const label = await link.textContent();
    await link.click();
    const rows = await visibleRows(page);
    assert.equal(rows.length, labelled(label));
    assert.ok(rows.every((r) => r.overdue));
    assert.equal(await page.isChecked('#f-overdue'), true);
  } finally {
    await close();
  }
});

test('without JavaScript the view links show their rows', async () => {
  const { page, close } = await open(TRACKER, { javaScriptEnabled: false });
  try {
    assert.equal(await page.isVisible('form.tracker-filters'), false, 'the filters need the script');
    const views = await page.$$eval('.tracker-views a[data-view]', (as) => as.filter((a) => a.dataset.view).map((a) => ({ href: a.getAttribute('href'), view: a.dataset.view, label: a.textContent })));
    assert.ok(views.length >= 3);
    for (const v of views) {
      await page.click(`.tracker-views a[href="${v.href}"]`);
      const rows = await visibleRows(page);
      assert.equal(rows.length, labelled(v.label), v.label);
      const [kind, key] = v.view === 'overdue' ? ['overdue', ''] : [v.view.split('-')[0], v.view.slice(v.view.indexOf('-') + 1)];
      assert.ok(rows.every((r) => (kind === 'overdue' ? r.overdue : r[kind] === key)), v.view);
      const count = await page.$eval(`.view-count--${v.view}`, (p) => getComputedStyle(p).display);
      assert.equal(count, 'block', `${v.view}'s count is shown`);
    }
    await page.click('.tracker-views a[href="#tracker"]');
    assert.equal((await visibleRows(page)).length, await allRows(page));
  } finally {
    await close();
  }
});

/** The results a search lists: (link, title). */
const results = (page) => page.$$eval('.search-results a', (as) => as.map((a) => ({ href: a.href, title: a.textContent })));

test('a word of a milestone finds it, linking to the milestone on its plan', async () => {
  const { page, errors, close } = await open(SEARCH);
  try {
    await page.fill('#search-q', 'MASH resources');
    await page.click('.search-form button');
    const found = await results(page);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].title, 'All agencies have identified the resources needed to implement the MASH.');
    assert.match(found[0].href, /\/business-plan-2012-13\/index\.html#mash-resources$/);
    assert.equal(await page.textContent('.search-status'), '1 result for “MASH resources”.');
    // The result opens the plan at that milestone.
    await page.click('.search-results a');
    assert.equal(await page.evaluate(() => document.getElementById('mash-resources') !== null), true);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the narrative is searched, and the words live in the address', async () => {
  const { page, close } = await open(`${SEARCH}?q=${encodeURIComponent('neglect')}`);
  try {
    assert.equal(await page.inputValue('#search-q'), 'neglect');
    const found = await results(page);
    assert.ok(found.some((r) => /#10-foreword$/.test(r.href)), JSON.stringify(found));
    await page.fill('#search-q', 'zzzznotaword');
    await page.press('#search-q', 'Enter');
    assert.equal(await page.textContent('.search-status'), 'Nothing matches “zzzznotaword”.');
  } finally {
    await close();
  }
});

test('without JavaScript the search page points to the tracker', async () => {
  const { page, close } = await open(SEARCH, { javaScriptEnabled: false });
  try {
    assert.equal(await page.isVisible('.search-noscript'), true);
    assert.equal(await page.isVisible('.search-noscript a[href="../tracker/index.html"]'), true);
  } finally {
    await close();
  }
});

test("a document's tracker link opens the board's tracker at its view", async () => {
  const plan = pathToFileURL(join(OUT, 'business-plan-2012-13', 'index.html')).href;
  for (const javaScriptEnabled of [true, false]) {
    const { page, close } = await open(plan, { javaScriptEnabled });
    try {
      await page.click('text=Milestone tracker');
      await page.waitForURL(/tracker\/index\.html/);
      const rows = await visibleRows(page);
      assert.equal(rows.length, 27, `JavaScript ${javaScriptEnabled}`);
      assert.ok(rows.every((r) => r.document === 'business-plan-2012-13'));
    } finally {
      await close();
    }
  }
});

test('markup in a title is shown as text in search results', async () => {
  // A copy of the example whose plan title holds markup: the result shows
  // the characters, and no element is made from them.
  const root = join(WORK, 'markup');
  cpSync(join(REPO, 'content'), join(root, 'content'), { recursive: true });
  const file = join(root, 'content', 'documents', 'business-plan-2012-13', 'document.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: Business Plan 2012-2013', 'title: "<img src=x onerror=alert(1)> Business Plan"'));
  const out = join(WORK, 'markup-out');
  const r = spawnSync(BIN, ['build', '--root', root, '--output', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const { page, errors, close } = await open(`${pathToFileURL(join(out, 'search', 'index.html')).href}?q=business`);
  try {
    const found = await results(page);
    assert.ok(found.some((f) => f.title === '<img src=x onerror=alert(1)> Business Plan'), JSON.stringify(found));
    assert.equal(await page.$$eval('.search-results img', (imgs) => imgs.length), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
