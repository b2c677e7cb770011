// The web page as a user meets it, in headless Chromium: paste a document, choose a length,
// summarize, see the summary drawn piece by piece as it streams, and its usage; a document sent to
// the topic appears in the live feed; and a document whose text holds markup and script: the text
// is shown as text and no script of it runs.
// Usage: node page.test.mjs http://localhost:8080/ [screenshot.png]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const base = process.argv[2];
const screenshot = process.argv[3];
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'precis-chromium-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // The page's Content-Security-Policy would also stop an injected script; it is bypassed here so
  // that the test shows the rendering itself adds no element (and so that Playwright can evaluate).
  bypassCSP: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const failures = [];

/** Pastes the text, picks the length, presses Summarize and waits until the result is drawn. */
async function summarize(page, text, length) {
  await page.fill('#text', text);
  await page.selectOption('#length', length);
  await page.click('#go');
  await page.waitForSelector('.pane[data-state="done"]', { timeout: 60000 });
}
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => failures.push('page error: ' + e.message));
  page.on('dialog', (d) => { failures.push('a dialog opened: ' + d.message()); d.dismiss(); });
  await page.goto(base);
  await page.waitForFunction(() => document.querySelectorAll('#model option').length > 0);
  assert.equal(await page.isEnabled('#go'), true, 'submitting is on in the embedded profile');
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.ok(csp.includes("script-src 'self'"), 'the page allows only its own scripts: ' + csp);

  // 1. A plain document, summarized.
  const tea = 'Tea is an aromatic beverage prepared by pouring hot water over cured leaves. '
    + 'After water, it is the most widely consumed drink in the world. Tea originated in southwest China, '
    + 'where it was used as a medicinal drink. It was popularized as a recreational drink in the Tang dynasty.';
  await summarize(page, tea, 'short');
  const bullets = await page.$$eval('.pane .summary li', (items) => items.map((li) => li.textContent));
  assert.ok(bullets.length >= 1, 'the summary is rendered as a list: ' + bullets);
  assert.ok(bullets.every((b) => tea.includes(b)), 'the bullets are sentences of the document');
  const pieces = Number(await page.getAttribute('.pane', 'data-pieces'));
  assert.ok(pieces >= 2, 'the summary was drawn piece by piece as it streamed: ' + pieces + ' pieces');
  const usage = await page.textContent('.pane .usage');
  for (const word of ['model', 'tokens', 'calls', 'cost', 'time']) {
    assert.ok(usage.includes(word), 'usage shows ' + word + ': ' + usage);
  }
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  // The live feed shows what the worker publishes: a document sent to the topic (through the API).
  const feedId = 'feed-' + Date.now();
  const sent = await page.evaluate(async (id) => (await fetch('api/documents', { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: id, text: 'Tea is a drink. It is hot.' }) })).status, feedId);
  assert.equal(sent, 202);
  await page.waitForFunction((id) => [...document.querySelectorAll('#feed li')].some((li) => li.textContent.includes(id)),
    feedId, { timeout: 60000 });

  // 2. A document that carries markup and script.
  const hostile = '<script>window.__pwned = 1</script> The committee approved the plan. '
    + '<img src=x onerror="window.__pwned = 2"> The budget was reduced in March. '
    + '**Bold** words and `code` stay words.';
  await summarize(page, hostile, 'long');
  const summary = await page.$eval('.pane .summary', (el) => ({
    text: el.textContent,
    scripts: el.querySelectorAll('script, img, iframe, object, [onerror], [onload]').length,
  }));
  assert.equal(summary.scripts, 0, 'no element from the document reached the page');
  assert.ok(summary.text.includes('<script>') || summary.text.includes('<img'), 'the markup is shown as text: ' + summary.text);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script from the document ran');

  // 3. Nothing to summarize: said so, nothing sent.
  await page.fill('#text', '   ');
  await page.click('#go');
  assert.ok((await page.textContent('#message')).includes('Paste or drop'), 'an empty document is refused');
  assert.deepEqual(failures, []);
  console.log('page test passed: ' + bullets.length + ' bullets in ' + pieces + ' pieces; usage: ' + usage.replace(/\s+/g, ' ').trim());
} finally {
  await context.close();
}
