// `boardpress serve` in headless Chromium: a save reloads the open page by
// itself and keeps where the reader had scrolled to; a broken file shows
// its error (file, line and column) over the last good page, and the
// overlay goes when the file is fixed. The built pages never carry the
// preview's script.
//
// Environment: BOARDPRESS_BIN, CHROMIUM, as for site.test.js.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const BIN = process.env.BOARDPRESS_BIN || join(REPO, 'target', 'debug', 'boardpress');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WORK = mkdtempSync(join(tmpdir(), 'boardpress-serve-'));
const FOREWORD = join(WORK, 'content', 'documents', 'business-plan-2012-13', '10-foreword.md');

let browser;
let server;
let base;

before(async () => {
  cpSync(join(REPO, 'content'), join(WORK, 'content'), { recursive: true });
  server = spawn(BIN, ['serve', '--port', '0', '--root', WORK], { stdio: ['ignore', 'pipe', 'ignore'] });
  base = await new Promise((ok, fail) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) ok(m[1]);
    });
    server.on('exit', (code) => fail(new Error(`serve exited ${code}: ${seen}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(WORK, { recursive: true, force: true });
});

function edit(from, to) {
  const text = readFileSync(FOREWORD, 'utf8');
  assert.ok(text.includes(from), `${from} is not in the foreword`);
  writeFileSync(FOREWORD, text.replace(from, to));
}

test('a save reloads the page at the same place; an error shows over it until fixed', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}business-plan-2012-13/`, { waitUntil: 'load' });
  await page.evaluate(() => window.scrollTo(0, 1500));
  await page.waitForFunction(() => window.scrollY >= 1400);
  // The reader's place: the first paragraph below the top of the window,
  // and where it is in the window. The edit above it changes the height of
  // what comes before, so the place, not the pixel offset, must come back.
  const where = () => {
    const p = [...document.querySelectorAll('main p')].find((e) => e.getBoundingClientRect().top > 0);
    return { text: p.textContent.slice(0, 60), top: Math.round(p.getBoundingClientRect().top) };
  };
  const before = await page.evaluate(where);

  edit('title: Foreword by the Independent Chair', 'title: Foreword, saved in the editor');
  await page.waitForFunction(
    () => document.body.textContent.includes('Foreword, saved in the editor'),
    null,
    { timeout: 15000 },
  );
  await page.waitForFunction(
    ([w, b]) => {
      const now = eval(`(${w})`)();
      return now.text === b.text && Math.abs(now.top - b.top) < 5;
    },
    [where.toString(), before],
    { timeout: 5000, polling: 100 },
  );

  edit('title: Foreword, saved in the editor', 'title: [Foreword');
  const overlay = page.locator('#boardpress-errors');
  await overlay.waitFor({ timeout: 15000 });
  assert.equal(await overlay.getAttribute('role'), 'alert');
  const message = await overlay.textContent();
  assert.match(message, /The site could not be rebuilt/);
  assert.match(message, /content\/documents\/business-plan-2012-13\/10-foreword\.md:2:8/);
  // The last good page is still there beneath it.
  assert.ok((await page.textContent('body')).includes('Foreword, saved in the editor'));

  edit('title: [Foreword', 'title: Foreword, fixed');
  await page.waitForFunction(
    () => document.body.textContent.includes('Foreword, fixed'),
    null,
    { timeout: 15000 },
  );
  assert.equal(await page.locator('#boardpress-errors').count(), 0);
  await context.close();
});
