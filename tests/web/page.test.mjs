// The summit's web page in a real browser: headless Chromium (Debian's
// /usr/bin/chromium) driven by playwright-core (from .tools/node_modules, see
// scripts/install-deps.sh), against a gateway with the demo loaded. Run by
// tests/web_page_test.cc, which starts the four processes; by hand:
//
//   GATEWAY_URL=http://127.0.0.1:8080 SUMMIT_TOKEN=<organizer token> \
//   SCREENSHOT_DIR=/tmp/shots node tests/web/page.test.mjs
//
// What it checks, through the page only (the API is called directly only to
// publish, correct and retract statements while the page is open):
// - the gateway serves the page's three files with their content types, no
//   caching and a restrictive content security policy, and the API still
//   answers beside them;
// - the timetable shows the demo's sessions at their local times in their
//   rooms' columns, for each day, and no private session without a token;
// - a statement published while the page is open appears in the feed within
//   seconds, newest first; its correction and its retraction update the same
//   entry; an embargoed statement never appears, live or on a fresh replay;
// - with the organizer's token pasted in, private sessions (site visits in the
//   "Away" column) and a person's private meetings appear; forgetting it hides
//   them again;
// - on a phone-sized screen the page does not overflow sideways: the grid
//   scrolls inside its box;
// - nothing is logged as an error (a script error or a CSP violation would be).
// Screenshots (desktop and phone) go to SCREENSHOT_DIR.
//
// Every wait is bounded; the whole script gives up after kTotalBudgetMs.
// Exit code 0 when every check passed; otherwise 1 and the reason on stderr.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const kTotalBudgetMs = 75_000;
const kWaitMs = 10_000;      // for anything the page should show
const kFeedWaitMs = 10_000;  // for a publication to reach the open page
const kEventId = 'udib-2023';
const kEvent = `events/${kEventId}`;

const startedAt = Date.now();
let browser = null;

function log(message) {
  console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);
}

async function fail(message) {
  console.error(`FAIL: ${message}`);
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`FAIL: environment variable ${name} is not set`);
    process.exit(1);
  }
  return value;
}

const GATEWAY_URL = required('GATEWAY_URL').replace(/\/$/, '');
const TOKEN = required('SUMMIT_TOKEN');
const SCREENSHOT_DIR = required('SCREENSHOT_DIR');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// The browser and its driver: missing ones fail the test, never skip it.
if (!fs.existsSync(CHROMIUM)) {
  console.error(`FAIL: ${CHROMIUM} is missing; install Debian's chromium package (scripts/install-deps.sh)`);
  process.exit(1);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let chromium;
try {
  ({ chromium } = createRequire(path.join(repo, '.tools', 'package.json'))('playwright-core'));
} catch (error) {
  console.error(`FAIL: playwright-core is missing from ${path.join(repo, '.tools/node_modules')}; ` +
                `run scripts/install-deps.sh (${error.message})`);
  process.exit(1);
}

const overall = setTimeout(() => {
  fail(`the test took longer than ${kTotalBudgetMs / 1000} s`);
}, kTotalBudgetMs);

// ---------------------------------------------------------------------------
// The API, called directly to change statements while the page is open.

async function api(method, target, body, { auth = true } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (auth) headers.authorization = `Bearer ${TOKEN}`;
  const response = await fetch(`${GATEWAY_URL}${target}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(kWaitMs),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { json = null; }
  return { status: response.status, headers: response.headers, text, json };
}

async function apiOk(method, target, body) {
  const answer = await api(method, target, body);
  check(answer.status === 200, `${method} ${target} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  return answer.json;
}

// Creates, submits, approves (bound to its text hash) and publishes a statement.
async function publishStatement(id, statement) {
  const created = await apiOk('POST', `/v1/${kEvent}/statements?statementId=${id}`, statement);
  const name = created.name;
  await apiOk('POST', `/v1/${name}:submit`, {});
  await apiOk('POST', `/v1/${name}:approve`, { textHash: created.textHash });
  return apiOk('POST', `/v1/${name}:publish`, {});
}

function pressRelease(title, english, ukrainian, extra = {}) {
  return {
    kind: 'KIND_PRESS_RELEASE',
    title,
    bodies: [
      { languageCode: 'en', text: english, original: true },
      { languageCode: 'uk', text: ukrainian, original: false },
    ],
    ...extra,
  };
}

// ---------------------------------------------------------------------------
// The page.

const sessionCell = (id) => `td[data-session="${kEvent}/sessions/${id}"]`;
const feedEntry = (id) => `li[data-statement="${kEvent}/statements/${id}"]`;

// Where a session sits in the grid: its column's and its first row's header
// texts (read through the cell's `headers`, as a screen reader would), and
// the cell's own text.
async function placeOf(page, id) {
  return page.$eval(sessionCell(id), (cell) => {
    const [column, row] = (cell.getAttribute('headers') || '').split(' ');
    const text = (element) => (element ? element.textContent.replace(/\s+/g, ' ').trim() : '');
    return {
      column: text(document.getElementById(column)),
      row: text(document.getElementById(row)),
      text: text(cell),
    };
  });
}

async function sessionsShown(page) {
  return page.$$eval('td[data-session]', (cells) => cells.map((c) => c.dataset.session.split('/').pop()));
}

async function expectPlace(page, id, { column, time, title }) {
  await page.waitForSelector(sessionCell(id), { timeout: kWaitMs });
  const place = await placeOf(page, id);
  check(place.column.startsWith(column), `${id} is in column "${place.column}", expected "${column}"`);
  check(place.row === time, `${id} is in the row of ${place.row}, expected ${time}`);
  check(place.text.startsWith(time), `${id} shows "${place.text}", expected it to start at ${time}`);
  check(place.text.includes(title), `${id} shows "${place.text}", expected the title "${title}"`);
}

function watchConsole(page, errors) {
  page.on('console', (message) => {
    // The browser asks for /favicon.ico by itself; the page has none.
    if (message.type() !== 'error' || (message.location().url || '').endsWith('/favicon.ico')) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
}

const privateVisits = ['white-house', 'congress', 'pentagon'];

async function main() {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });

  // 1. The files and their headers; the API beside them.
  for (const [target, type] of [['/', 'text/html'], ['/index.html', 'text/html'],
                                 ['/app.js', 'text/javascript'], ['/style.css', 'text/css'],
                                 [`/?event=${kEventId}&day=2023-12-07`, 'text/html']]) {
    const answer = await api('GET', target, undefined, { auth: false });
    check(answer.status === 200, `GET ${target} answered ${answer.status}`);
    check((answer.headers.get('content-type') || '').startsWith(type),
          `GET ${target}: content-type ${answer.headers.get('content-type')}, expected ${type}`);
    check(answer.headers.get('cache-control') === 'no-cache', `GET ${target}: cache-control ${answer.headers.get('cache-control')}`);
    check(answer.headers.get('content-security-policy') === "default-src 'self'; connect-src 'self'",
          `GET ${target}: content-security-policy ${answer.headers.get('content-security-policy')}`);
  }
  const openapi = await api('GET', '/openapi.json', undefined, { auth: false });
  check(openapi.status === 200 && openapi.json && openapi.json.openapi, 'GET /openapi.json no longer serves the OpenAPI document');
  const event = await api('GET', `/v1/${kEvent}`, undefined, { auth: false });
  check(event.status === 200 && event.json.name === kEvent, `GET /v1/${kEvent} answered ${event.status}`);
  const unknown = await api('GET', '/favicon.ico', undefined, { auth: false });
  check(unknown.status === 404, `GET /favicon.ico answered ${unknown.status}, expected 404`);
  log('the gateway serves the page with its headers; the API answers beside it');

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: kWaitMs });
  const errors = [];
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await desktop.newPage();
  page.setDefaultTimeout(kWaitMs);
  watchConsole(page, errors);

  // 2. The public timetable of the first day.
  await page.goto(`${GATEWAY_URL}/`, { waitUntil: 'domcontentloaded' });
  await expectPlace(page, 'opening-plenary', { column: 'Plenary Hall', time: '09:00', title: 'Opening plenary' });
  const firstPlace = await placeOf(page, 'opening-plenary');
  check(firstPlace.text.includes('09:00–10:00'), `the opening plenary shows "${firstPlace.text}", expected 09:00–10:00`);
  check((await page.textContent('h1')).includes('Ukraine Defense Industrial Base Summit'), 'the heading does not name the event');
  const days = await page.$$eval('#day option', (options) => options.map((o) => o.value));
  check(JSON.stringify(days) === JSON.stringify(['2023-12-06', '2023-12-07']), `the day selector offers ${days}`);
  check(await page.inputValue('#day') === '2023-12-06', 'the first day is not selected');
  const publicDayOne = await sessionsShown(page);
  for (const id of privateVisits) check(!publicDayOne.includes(id), `the public sees the private session ${id}`);
  check(await page.$('th[data-room="away"]') === null, 'the public sees an "Away" column (site visits are private)');
  check(await page.$$eval('td[data-session]', (cells) => cells.length) === 1,
        `the public sees ${publicDayOne.length} sessions on the first day (${publicDayOne}), expected only the opening plenary`);
  log('timetable: the opening plenary at 09:00 in the Plenary Hall; no private session for the public');

  // 3. The feed: the demo's quotes, then a publication while the page is open.
  await page.waitForSelector(feedEntry('zelensky-new-level-of-unity'), { timeout: kWaitMs });
  await page.waitForFunction(() => document.querySelectorAll('#feed li').length >= 3, null, { timeout: kWaitMs });
  await page.waitForSelector('#feed-status:has-text("Live")', { timeout: kWaitMs });
  const demoQuote = await page.textContent(feedEntry('zelensky-new-level-of-unity'));
  check(demoQuote.includes('Volodymyr Zelensky, President of Ukraine'), 'the demo quote does not name its speaker as they were');
  check(demoQuote.includes('This is a new level of our unity'), 'the demo quote does not show its original text');
  check(demoQuote.includes('6 Dec 2023'), 'the demo quote is not dated the day it was said');

  const suffix = Date.now().toString(36);
  const embargoedId = `web-embargoed-${suffix}`;
  const liveId = `web-live-${suffix}`;
  const embargoedTitle = `Embargoed until the hour (${suffix})`;
  const liveTitle = `Delegations agree on next steps (${suffix})`;
  const embargoed = await publishStatement(embargoedId, pressRelease(
    embargoedTitle, 'Not to be read before the embargo lifts.', 'Не для читання до зняття ембарго.',
    { embargoTime: new Date(Date.now() + 3600_000).toISOString() }));
  check(embargoed.embargoed === true, `the embargoed statement was published without an embargo: ${JSON.stringify(embargoed)}`);
  const publishedAt = Date.now();
  await publishStatement(liveId, pressRelease(
    liveTitle, 'The delegations agreed on the next steps.\n\nWork continues in January.',
    'Делегації домовилися про наступні кроки.'));
  await page.waitForSelector(feedEntry(liveId), { timeout: kFeedWaitMs });
  log(`feed: a statement published through the API appeared on the open page after ${Date.now() - publishedAt} ms`);
  const newest = await page.$eval('#feed li', (li) => li.dataset.statement);
  check(newest === `${kEvent}/statements/${liveId}`, `the newest statement is not first in the feed (first: ${newest})`);
  const liveText = await page.textContent(feedEntry(liveId));
  check(liveText.includes(liveTitle) && liveText.includes('Work continues in January.'), `the new entry reads "${liveText}"`);
  check(await page.$eval(`${feedEntry(liveId)} details blockquote`, (q) => q.lang) === 'uk', 'the translation is not marked as Ukrainian');
  // The embargoed statement was published before the live one: had the feed
  // carried it, it would be on the page by now.
  check(await page.$(feedEntry(embargoedId)) === null, 'the public feed shows an embargoed statement');
  check(!(await page.textContent('#feed')).includes(embargoedTitle), 'the embargoed title is on the page');
  log('feed: the embargoed statement is not shown to the public');

  // A correction and a retraction update the same entry in place.
  await apiOk('POST', `/v1/${kEvent}/statements/${liveId}:correct`, {
    title: `${liveTitle} (corrected)`,
    correctionNote: 'The next round is in February, not January.',
    bodies: [{ languageCode: 'en', text: 'The delegations agreed on the next steps.\n\nWork continues in February.', original: true },
             { languageCode: 'uk', text: 'Делегації домовилися про наступні кроки.', original: false }],
  });
  await page.waitForSelector(`${feedEntry(liveId)} .notice-corrected`, { timeout: kFeedWaitMs });
  const corrected = await page.textContent(feedEntry(liveId));
  check(corrected.includes('Corrected: The next round is in February, not January.'), `the corrected entry reads "${corrected}"`);
  check(corrected.includes('Work continues in February.') && !corrected.includes('Work continues in January.'), 'the corrected entry still shows the old text');
  check(await page.$$eval(feedEntry(liveId), (entries) => entries.length) === 1, 'the correction made a second entry');
  await apiOk('POST', `/v1/${kEvent}/statements/${liveId}:retract`, { reason: 'Published by the page test.' });
  await page.waitForSelector(`${feedEntry(liveId)} .notice-retracted`, { timeout: kFeedWaitMs });
  const retracted = await page.textContent(feedEntry(liveId));
  check(retracted.includes('Retracted: Published by the page test.'), `the retracted entry reads "${retracted}"`);
  check(await page.$$eval(feedEntry(liveId), (entries) => entries.length) === 1, 'the retraction made a second entry');
  log('feed: the correction and the retraction updated the entry in place');

  // A fresh page replays the feed from the beginning: still no embargoed text.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector(`${feedEntry(liveId)} .notice-retracted`, { timeout: kWaitMs });
  check(await page.$(feedEntry(embargoedId)) === null, 'the replayed feed shows an embargoed statement');
  log('feed: a replay from the beginning shows the retraction and no embargoed statement');

  // 4. The organizer's token: private sessions and itineraries appear.
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.textContent) === 'Skip to content', 'the first Tab does not reach the skip link');
  await page.fill('#token', TOKEN);
  await page.click('#token-form button[type="submit"]');
  await expectPlace(page, 'white-house', { column: 'Away', time: '10:30', title: 'Meeting at the White House' });
  await expectPlace(page, 'pentagon', { column: 'Away', time: '14:30', title: 'Meeting at the Pentagon' });
  await expectPlace(page, 'opening-plenary', { column: 'Plenary Hall', time: '09:00', title: 'Opening plenary' });
  check((await page.textContent('#token-status')).includes('organizer'), 'the token status does not name the role');
  check(await page.inputValue('#token') === '', 'the token stays visible in its field');
  check(await page.evaluate(() => window.sessionStorage.getItem('summit.token')) === TOKEN, 'the token is not kept in sessionStorage');
  log('token: the organizer sees the private site visits in the "Away" column');

  await page.selectOption('#person', 'people/umerov');
  await page.waitForSelector('#briefing [data-session$="/sessions/pentagon"]', { timeout: kWaitMs });
  const plenaryStop = await page.textContent('#briefing [data-session$="/sessions/opening-plenary"]');
  check(plenaryStop.includes('09:00–10:00') && plenaryStop.includes('Plenary Hall'), `the itinerary's plenary reads "${plenaryStop}"`);
  check(plenaryStop.includes('Andriy Yermak, Head of the Office of the President of Ukraine'), 'the itinerary does not name the counterparts with their titles');
  check(!plenaryStop.includes('Rustem Umerov'), 'the itinerary lists the person among their own counterparts');
  const pentagonStop = await page.textContent('#briefing [data-session$="/sessions/pentagon"]');
  check(pentagonStop.includes('14:30–15:30') && pentagonStop.includes('The Pentagon') &&
        pentagonStop.includes('Oleksandr Kamyshin, Minister of Strategic Industries of Ukraine'),
        `the itinerary's Pentagon visit reads "${pentagonStop}"`);
  log('itinerary: Rustem Umerov\'s sessions with local times and counterparts');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-organizer.png'), fullPage: true });

  // Forgetting the token hides the private sessions again.
  await page.click('#forget-token');
  await page.waitForFunction(() => !document.querySelector('#briefing [data-session$="/sessions/pentagon"]') &&
                                   document.querySelector('#briefing [data-session$="/sessions/opening-plenary"]'),
                             null, { timeout: kWaitMs });
  await page.waitForFunction(() => !document.querySelector('td[data-session$="/sessions/white-house"]') &&
                                   document.querySelector('td[data-session$="/sessions/opening-plenary"]'),
                             null, { timeout: kWaitMs });
  log('token forgotten: the private sessions are gone from the timetable and the itinerary');

  // 5. The second day, chosen in the selector.
  await page.selectOption('#day', '2023-12-07');
  await expectPlace(page, 'think-tank-panel', { column: 'Plenary Hall', time: '14:00', title: 'Think-tank panel' });
  await expectPlace(page, 'press-conference', { column: 'Press Room', time: '16:00', title: 'Press conference' });
  check(page.url().includes('day=2023-12-07'), `the page's address does not keep the day: ${page.url()}`);
  const publicDayTwo = await sessionsShown(page);
  check(!publicDayTwo.includes('state-department') && !publicDayTwo.includes('commerce-department'),
        `the public sees the second day's private visits: ${publicDayTwo}`);
  log('timetable: the second day, with the panel at 14:00 and the press conference at 16:00');

  await page.goto(`${GATEWAY_URL}/?day=2023-12-06`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(sessionCell('opening-plenary'), { timeout: kWaitMs });
  await page.waitForSelector(feedEntry(liveId), { timeout: kWaitMs });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop.png'), fullPage: true });

  // 6. A phone: the page fits its width; the grid scrolls inside its box.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const phonePage = await phone.newPage();
  phonePage.setDefaultTimeout(kWaitMs);
  watchConsole(phonePage, errors);
  await phonePage.goto(`${GATEWAY_URL}/?event=${kEventId}`, { waitUntil: 'domcontentloaded' });
  await phonePage.fill('#token', TOKEN);
  await phonePage.click('#token-form button[type="submit"]');
  await phonePage.waitForSelector(sessionCell('white-house'), { timeout: kWaitMs });
  await phonePage.waitForSelector(feedEntry(liveId), { timeout: kWaitMs });
  const widths = await phonePage.evaluate(() => {
    const grid = document.getElementById('grid-scroll');
    return { page: document.documentElement.scrollWidth, viewport: window.innerWidth,
             grid: grid.scrollWidth, box: grid.clientWidth };
  });
  check(widths.page <= widths.viewport, `on a phone the page is ${widths.page} px wide in a ${widths.viewport} px screen`);
  check(widths.grid > widths.box, `on a phone the grid (${widths.grid} px) does not scroll inside its box (${widths.box} px)`);
  await phonePage.evaluate(() => window.scrollTo(0, 0));
  await phonePage.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone.png') });
  await phonePage.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-full.png'), fullPage: true });
  log(`phone: the page fits ${widths.viewport} px; the grid scrolls (${widths.grid} px in ${widths.box} px)`);

  check(errors.length === 0, `the browser logged errors:\n  ${errors.join('\n  ')}`);
  await browser.close();
  browser = null;
  log(`screenshots in ${SCREENSHOT_DIR}: desktop.png, desktop-organizer.png, phone.png, phone-full.png`);
}

main().then(() => {
  clearTimeout(overall);
  log('PASS');
}, (error) => {
  clearTimeout(overall);
  return fail(error && error.stack ? error.stack : String(error));
});
