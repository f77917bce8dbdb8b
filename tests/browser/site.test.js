// Browser and HTML checks of every page boardpress builds.
//
// Builds the example site (the repository's content/), the two seed sites in
// tests/sites/, a hostile site (the starter site with markup and script in
// every field) and a site of the two seed boards sharing an agency (its own
// pages only) with the boardpress binary, then, for every .html page:
//   - axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) finds no violations, at
//     1280 and at 320 CSS px wide;
//   - at 320 CSS px wide the page does not scroll sideways;
//   - the first Tab lands on the skip link and Enter moves focus to the main
//     content;
//   - no dialog opens, no script error or console error happens, and the page
//     has no <script> but the tracker's and search's own files (nor, on the hostile
//     site, any event handler attribute, javascript: address or frame).
// Then the Nu HTML Checker (vnu.jar) must find no errors in any page, and
// screenshots of the example's home and document pages are saved in
// target/screenshots/.
//
// Environment: BOARDPRESS_BIN (default: target/debug/boardpress of this
// repository), CHROMIUM (default /usr/bin/chromium), JAVA (default java).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { makeHostile, removeRefusedInput } from './hostile-site.js';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const BIN = process.env.BOARDPRESS_BIN || join(REPO, 'target', 'debug', 'boardpress');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const JAVA = process.env.JAVA || 'java';
const AXE = require.resolve('axe-core/axe.min.js');
const VNU_JAR = String(require('vnu-jar'));
const SCREENSHOTS = join(REPO, 'target', 'screenshots');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [1280, 320];

const SITES = [
  { name: 'example', root: REPO },
  { name: 'northamptonshire', root: join(REPO, 'tests', 'sites', 'northamptonshire') },
  { name: 'city-and-hackney', root: join(REPO, 'tests', 'sites', 'city-and-hackney') },
];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

function htmlFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...htmlFiles(path));
    else if (entry.name.endsWith('.html')) found.push(path);
  }
  return found.sort();
}

// ---------------------------------------------------------------------------
// Build everything before defining the per-page tests (they need the list of
// pages). Problems are recorded here and reported by the first tests.

const WORK = mkdtempSync(join(tmpdir(), 'boardpress-browser-'));
const OUT = join(WORK, 'out');
const setup = { binary: existsSync(BIN), builds: [], hostileRefusal: null };
const built = []; // { site, dir, pages }

if (setup.binary) {
  for (const site of SITES) {
    const dir = join(OUT, site.name);
    const r = run(BIN, ['build', '--root', site.root, '--output', dir]);
    setup.builds.push({ site: site.name, ...r });
    if (r.code === 0) built.push({ site: site.name, dir, hostile: false });
  }

  const hostileRoot = join(WORK, 'hostile');
  const init = run(BIN, ['init', hostileRoot]);
  setup.builds.push({ site: 'hostile (init)', ...init });
  if (init.code === 0) {
    makeHostile(hostileRoot);
    const dir = join(OUT, 'hostile');
    setup.hostileRefusal = run(BIN, ['build', '--root', hostileRoot, '--output', dir]);
    removeRefusedInput(hostileRoot);
    const r = run(BIN, ['build', '--root', hostileRoot, '--output', dir]);
    setup.builds.push({ site: 'hostile', ...r });
    if (r.code === 0) built.push({ site: 'hostile', dir, hostile: true });
  }
  // A site of two boards sharing an agency: its own pages (the index, the
  // tracker of its boards, the shared agency's page, 404) are checked; the
  // boards' pages are the seed sites' above.
  const region = join(WORK, 'region');
  for (const [slug, lead] of [['northamptonshire', 'Chair Quality Assurance Committee'], ['city-and-hackney', 'Quality Assurance Sub-committee']]) {
    cpSync(join(REPO, 'tests', 'sites', slug, 'content'), join(region, 'content', 'boards', slug), { recursive: true });
    appendFileSync(join(region, 'content', 'boards', slug, 'board.yaml'), `\nmembers:\n  - name: Partnership Police\n    leads: [${lead}]\n`);
  }
  const regionOut = join(OUT, 'region');
  const r = run(BIN, ['build', '--root', region, '--output', regionOut]);
  setup.builds.push({ site: 'region', ...r });
  if (r.code === 0) built.push({ site: 'region', dir: regionOut, hostile: false, only: (name) => !name.includes('/') || /^(agencies|tracker)\//.test(name) });
  for (const b of built) b.pages = htmlFiles(b.dir).filter((f) => !b.only || b.only(relative(b.dir, f)));
}

after(() => {
  if (!process.env.KEEP_OUTPUT) rmSync(WORK, { recursive: true, force: true });
  else console.log(`# built sites kept in ${OUT}`);
});

test('the boardpress binary exists', () => {
  assert.ok(
    setup.binary,
    `boardpress binary not found at ${BIN}: run \`cargo build\` in ${REPO}, or set BOARDPRESS_BIN`,
  );
});

test('every site builds', { skip: !setup.binary && 'no binary' }, () => {
  const failed = setup.builds.filter((b) => b.code !== 0);
  assert.deepEqual(
    failed.map((b) => `${b.site}: exit ${b.code}\n${b.out}`),
    [],
    'builds failed',
  );
  assert.equal(built.length, SITES.length + 2);
});

test('the hostile site is refused while an image link leaves the site folder or a web address holds quotes', { skip: !setup.hostileRefusal && 'not built' }, () => {
  const r = setup.hostileRefusal;
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}:\n${r.out}`);
  assert.match(r.out, /leaves the site folder/);
  assert.match(r.out, /the web address .* contains `"`/);
  assert.match(r.out, /2 errors found; nothing was written/);
});

// ---------------------------------------------------------------------------
// Pages in the browser.

let browser;

before(async () => {
  if (built.length === 0) return;
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

/** Open a page at a width, recording dialogs, script errors and console errors. */
async function open(file, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const events = [];
  page.on('dialog', async (d) => {
    events.push(`dialog (${d.type()}): ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => events.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') events.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => events.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  // A built site is self-contained: nothing may be fetched from elsewhere.
  await context.route(/^(?!file:)/, (route) => {
    events.push(`request outside the site: ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, events, close: () => context.close() };
}

function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `      ${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.split('\n').join('\n        ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : '';
      return `  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload: false }),
    AXE_TAGS,
  );
}

/** Things a page built from hostile content must never contain. The only
 * scripts, forms and styles a page may hold are the theme's own: the
 * tracker's filters (script file, form, its views' rules in the head) and
 * the search (its script, each document's search.js, its form), each on
 * its own page. */
function dangerous() {
  const tracker = document.getElementById('tracker') !== null;
  const search = document.querySelector('main > form.search-form[role=search]') !== null;
  // A document page: it links print.css for paper, in its head.
  const documentPage = document.querySelector('head > link[rel=stylesheet][media=print][href$="static/print.css"]') !== null;
  const ours = (el) => (
    (el.localName === 'script' && el.text === '' && (
      (tracker && /(^|\/)static\/tracker\.js$/.test(el.getAttribute('src') || ''))
      || (documentPage && /^(\.\.\/)+static\/print\.js$/.test(el.getAttribute('src') || ''))
      || (search && /^\.\.\/([a-z0-9-]+\/search|(\.\.\/)*static\/(search|elasticlunr\.min))\.js$/.test(el.getAttribute('src') || ''))))
    || (el.localName === 'form' && ((tracker && el.matches('#tracker > form.tracker-filters')) || (search && el.matches('main > form.search-form'))))
    // The tracker's no-script views, and a document's running headers on
    // paper (every title in it escaped as a CSS string).
    || (el.localName === 'style' && ((tracker && el.matches('head > style'))
      || (documentPage && el.matches('head > style[media=print]')))));
  const found = [];
  for (const s of document.querySelectorAll('script')) {
    if (!ours(s)) found.push(`<script>: ${s.outerHTML.slice(0, 80)}`);
  }
  for (const f of document.querySelectorAll('iframe, frame, object, embed, form, style, base, meta[http-equiv]')) {
    if (!ours(f)) found.push(`<${f.localName}>: ${f.outerHTML.slice(0, 80)}`);
  }
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const value = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (a.name.toLowerCase().startsWith('on')) found.push(`${el.localName}[${a.name}="${a.value}"]`);
      else if (/^(javascript|vbscript|data):/.test(value) && /href|src|action|data/.test(a.name)) {
        found.push(`${el.localName}[${a.name}="${a.value}"]`);
      }
    }
  }
  return found;
}

for (const b of built) {
  describe(`site: ${b.site}`, () => {
    for (const file of b.pages) {
      const name = relative(b.dir, file);

      test(name, async () => {
        const problems = [];

        for (const width of WIDTHS) {
          const { page, events, close } = await open(file, width);
          try {
            // Before axe-core adds its own <script>.
            const scripts = await page.evaluate(dangerous);
            const found = b.hostile ? scripts : scripts.filter((s) => s.startsWith('<script>'));
            if (found.length) problems.push(`unsafe markup at ${width}px:\n  ${found.join('\n  ')}`);
            // At 1280px as built; at 320px with every <details> (a chart's
            // data) open, as that content must reflow too.
            if (width === 320) await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
            const result = await axe(page);
            if (result.violations.length) {
              problems.push(`axe at ${width}px: ${result.violations.length} violation(s)\n${formatViolations(result.violations)}`);
            }
            if (width === 320) {
              const { scrollWidth, wide } = await page.evaluate(() => {
                const vw = document.documentElement.clientWidth;
                const scrolls = (el) => {
                  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                    if (getComputedStyle(a).overflowX !== 'visible') return true;
                  }
                  return false;
                };
                const wide = [...document.querySelectorAll('body *')]
                  .filter((el) => el.getBoundingClientRect().right > vw + 0.5 && !scrolls(el))
                  .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= vw + 0.5)
                  .slice(0, 5)
                  .map((el) => `${el.localName}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(el.getBoundingClientRect().right)}px): ${el.textContent.trim().slice(0, 60)}`);
                return { scrollWidth: document.documentElement.scrollWidth, wide };
              });
              if (scrollWidth > 320) {
                problems.push(`320px: scrolls sideways (scrollWidth ${scrollWidth}px); too wide:\n  ${wide.join('\n  ')}`);
              }
            }
            if (width === 1280) {
              await page.keyboard.press('Tab');
              const first = await page.evaluate(() => {
                const a = document.activeElement;
                return { skip: a?.matches('a[href="#main-content"]') ?? false, html: a?.outerHTML.slice(0, 100) ?? 'nothing' };
              });
              if (!first.skip) problems.push(`skip link: the first Tab focuses ${first.html}, not a[href="#main-content"]`);
              else {
                await page.keyboard.press('Enter');
                const id = await page.evaluate(() => document.activeElement?.id);
                if (id !== 'main-content') problems.push(`skip link: Enter moves focus to #${id || '(nothing)'}, not #main-content`);
              }
            }
          } finally {
            await close();
          }
          if (events.length) problems.push(`browser events at ${width}px:\n  ${events.join('\n  ')}`);
        }
        if (b.site === 'example' && (name === 'index.html' || /^business-plan-[^/]+\/index\.html$/.test(name))) {
          await shoot(file, name === 'index.html' ? 'home' : 'document');
        }
        assert.ok(problems.length === 0, `${b.site}/${name}\n${problems.join('\n')}`);
      });
    }
  });
}

/** What a document page shows on screen and what it shows on paper: its
 * page is its print version. */
async function screenAndPaper(page) {
  return page.evaluate(() => {
    // Laid out and rendered: not under display: none, nor in a closed
    // disclosure's contents (content-visibility: hidden).
    const shown = (sel) => [...document.querySelectorAll(sel)].some((el) => el.checkVisibility());
    const table = document.querySelector('details.chart__data:not([open]) table');
    return {
      siteHeader: shown('.site-header'),
      breadcrumbs: shown('.breadcrumbs'),
      footer: shown('.site-footer'),
      heading: shown('main h1'),
      coverBoard: shown('.cover__board'),
      facts: shown('.cover dl.meta'),
      printButton: shown('#print-button'),
      printHint: shown('.print-link__hint'),
      closedTable: table ? table.checkVisibility() : null,
      summary: shown('details.chart__data > summary'),
      fontFamily: getComputedStyle(document.body).fontFamily,
    };
  });
}

test('a document page is its own print version', { skip: built.length === 0 && 'nothing built' }, async () => {
  const example = built.find((b) => b.site === 'example');
  const file = example.pages.find((p) => /annual-report-[^/]+\/index\.html$/.test(p));
  assert.ok(file, 'the example has an annual report');
  const { page, events, close } = await open(file, 1280);
  try {
    const screen = await screenAndPaper(page);
    assert.deepEqual(
      { ...screen, fontFamily: undefined },
      { siteHeader: true, breadcrumbs: true, footer: true, heading: true, coverBoard: false, facts: true,
        printButton: true, printHint: false, closedTable: false, summary: true, fontFamily: undefined },
      'on screen: the website around the document, the print button (the script ran), the data tables closed',
    );
    await page.emulateMedia({ media: 'print' });
    const paper = await screenAndPaper(page);
    assert.deepEqual(
      { ...paper, fontFamily: undefined },
      { siteHeader: false, breadcrumbs: false, footer: false, heading: true, coverBoard: true, facts: false,
        printButton: false, printHint: false, closedTable: true, summary: false, fontFamily: undefined },
      'on paper: a cover with the board, no website around it, every chart\'s data shown',
    );
    assert.match(paper.fontFamily, /Liberation Sans/);
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10000, 'Chromium prints it');
  } finally {
    await close();
  }
  assert.deepEqual(events, []);
});

/** Full-page screenshots of a page as a visitor first sees it. */
async function shoot(file, stem) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const width of [320, 1280]) {
    const { page, close } = await open(file, width);
    try {
      await page.screenshot({ path: join(SCREENSHOTS, `example-${stem}-${width}.png`), fullPage: true });
    } finally {
      await close();
    }
  }
}

// ---------------------------------------------------------------------------
// The Nu HTML Checker.

/** vnu's text output ("Error: …" then "From line L, column C; … in resource file:PATH") as PATH:L:C: message. */
function formatVnu(out) {
  const lines = out.split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(Error|Warning|Info[^:]*): (.*)$/.exec(lines[i]);
    const at = m && /^(?:From line (\d+), column (\d+);.*|At line (\d+), column (\d+)) in resource (.*)$/.exec(lines[i + 1] ?? '');
    if (m && at) {
      const file = at[5].replace(/^file:/, '').split(`${OUT}/`).join('');
      found.push(`  ${file}:${at[1] ?? at[3]}:${at[2] ?? at[4]}: ${m[2]}`);
      i++;
    } else if (lines[i].trim() && !/^Document checking completed/.test(lines[i])) {
      found.push(`  ${lines[i].split(`${OUT}/`).join('')}`);
    }
  }
  return found.join('\n');
}

test('the Nu HTML Checker finds no errors', { skip: built.length === 0 && 'nothing built' }, () => {
  const files = built.flatMap((b) => b.pages);
  const r = run(JAVA, ['-jar', VNU_JAR, '--errors-only', '--format', 'text', ...files]);
  assert.ok(r.code === 0 || r.code === 1, `vnu did not run (exit ${r.code}):\n${r.out}`);
  assert.equal(r.code, 0, `the Nu HTML Checker found errors:\n${formatVnu(r.out)}`);
});
