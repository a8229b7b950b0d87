// tests/e2e/browser_lib.mjs - what the browser test scripts
// (tests/e2e/browser*.mjs) share: headless Chromium with the flags every
// run needs, counted checks and the closing "N passed, N failed" line,
// pages watched for CSP violations, page errors and missing dictionary
// keys, screenshots under the script's prefix, the phone width check, the
// dashboard's sign-in with the admin token, and the search for the other
// language on a page. Only those scripts import it; each is started by its
// tests/e2e/browser*.test.sh (see browser_init and browser_run in lib.sh).
//
//   import { T, harness, fitsWidth, signinToken, noOtherLanguage } from './browser_lib.mjs';
//   const h = await harness(outDir, 'people-');
//   const page = await h.newPage('desktop', 1280, 900, { acceptDownloads: true });
//   await h.step('what it checks', async () => { ... });
//   await h.shot(page, 'list');
//   await h.finish(); // the problems check, the summary line, the exit status
//
// Every wait is bounded (T, or a fixed number of tries).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

export const T = 15000; // ms for one wait

// Console errors that fail a run: a CSP violation, a refused load, a key
// missing from web/admin/i18n.js, or the dashboard's own error report.
const PROBLEM = /Content Security Policy|Refused to|i18n: missing key|^dashboard: /i;

// A browser, the counters and the helpers bound to them. prefix starts
// every screenshot's name ('' for none); launchArgs are added to
// Chromium's command line.
export async function harness(outDir, prefix, launchArgs = []) {
  let passed = 0;
  let failed = 0;
  const problems = [];
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', ...launchArgs],
    timeout: 60000,
  });
  const h = {
    browser,
    ok(what) {
      passed++;
      console.log('ok   ' + what);
    },
    bad(what, e) {
      failed++;
      console.log('FAIL ' + what + (e ? ': ' + String(e.message || e).split('\n')[0] : ''));
    },
    skip(what) {
      console.log('skip ' + what);
    },
    // One counted check: passes when fn resolves; true when it passed.
    async step(what, fn) {
      try {
        await fn();
        h.ok(what);
        return true;
      } catch (e) {
        h.bad(what, e);
        return false;
      }
    },
    shot(page, name) {
      return page.screenshot({ path: path.join(outDir, prefix + name + '.png'), fullPage: true });
    },
    // Count the page's problems (see PROBLEM) against the run, as who.
    // dialogs 'accept': every confirm() is answered yes.
    watch(page, who, dialogs) {
      page.on('console', (m) => {
        if (m.type() === 'error' && PROBLEM.test(m.text())) problems.push(who + ': ' + m.text());
      });
      page.on('pageerror', (e) => problems.push(who + ': ' + e.message));
      if (dialogs === 'accept') page.on('dialog', (d) => d.accept());
    },
    // A watched page in a browser context of its own (its own cookies).
    // options go to the context, except dialogs (see watch).
    async newPage(who, width, height, options = {}) {
      const { dialogs, ...ctxOptions } = options;
      const ctx = await browser.newContext({ viewport: { width, height }, ...ctxOptions });
      const page = await ctx.newPage();
      h.watch(page, who, dialogs);
      return page;
    },
    // Run the checks in body (an error there fails the run, not the
    // script), then the problems check, the summary line and the exit.
    async finish(body) {
      if (body) {
        try {
          await body();
        } catch (e) {
          h.bad('browser run', e);
        }
      }
      if (problems.length) h.bad('no CSP violations, page errors or missing keys', problems.join('; '));
      else h.ok('no CSP violations, page errors or missing keys');
      await browser.close();
      console.log(passed + ' passed, ' + failed + ' failed');
      process.exit(failed ? 1 : 0);
    },
  };
  return h;
}

// Nothing on the page is wider than the viewport (a wide table scrolls
// inside its own panel).
export async function fitsWidth(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const vw = page.viewportSize().width;
  if (w > vw + 1) throw new Error('the page is ' + w + ' px wide on a ' + vw + ' px screen');
}

// Sign in to the dashboard at base + '/admin/' + hash with the admin token
// and wait until ready (a selector) shows.
export async function signinToken(page, base, token, hash, ready) {
  await page.goto(base + '/admin/' + (hash || ''), { timeout: T });
  await page.fill('#token', token, { timeout: T });
  await page.click('#signin-token button[type=submit]');
  await page.locator(ready || '#who').first().waitFor({ state: 'visible', timeout: T });
}

// Texts on the page (visible text, the title, placeholders and labels of
// what shows) that belong to the other language than mode ('id' or 'en'):
// every word of extra, and every fragment of the other language's
// dictionary (web/admin/i18n.js, five letters or more) that mode's
// dictionary does not have. Whole words, case-sensitive. [] when none.
export async function otherLanguageShown(page, mode, extra) {
  return page.evaluate(({ mode, extra }) => {
    const mine = Object.values(I18N[mode]);
    const other = Object.values(I18N[mode === 'id' ? 'en' : 'id']);
    const frags = new Set(extra);
    for (const v of other) {
      for (const f of v.split(/\{\w+\}/)) {
        const x = f.trim().replace(/^[(;:,.\s]+|[)\s.:,;]+$/g, '');
        if (x.length >= 5 && /[a-z]/i.test(x) && !mine.some((m) => m.includes(x))) frags.add(x);
      }
    }
    const texts = [document.body.innerText, document.title];
    for (const e of document.querySelectorAll('[placeholder], [aria-label]')) {
      if (e.offsetParent !== null || e.tagName === 'CANVAS') texts.push(e.getAttribute('placeholder') || '', e.getAttribute('aria-label') || '');
    }
    const all = texts.join('\n');
    const esc = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return [...frags].filter((w) => new RegExp('(^|[^\\p{L}])' + esc(w) + '($|[^\\p{L}])', 'u').test(all));
  }, { mode, extra });
}

// Throw unless the page shows nothing of the other language, checked
// again while the view may still be drawing (at most opts.tries times,
// 100 ms apart; 30). opts.allow: words that are data on this page, not
// the dashboard's own text (a course named "Business English Writing").
export async function noOtherLanguage(page, mode, extra, opts = {}) {
  const tries = opts.tries || 30;
  const allow = opts.allow || [];
  let hits = [];
  for (let i = 0; i < tries; i++) {
    hits = (await otherLanguageShown(page, mode, extra)).filter((x) => !allow.includes(x));
    if (!hits.length) return;
    await page.waitForTimeout(100);
  }
  throw new Error('shows ' + hits.map((x) => JSON.stringify(x)).join(', '));
}
