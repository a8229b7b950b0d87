// tests/e2e/browser_surveys.mjs - surveys over time on the HR dashboard in
// headless Chromium (run by tests/e2e/browser_surveys.test.sh, which seeds
// four closed waves of survey.enps and starts `bimbing serve`):
//
//   node tests/e2e/browser_surveys.mjs BASE TOKEN OUT_DIR SAT WED MON THU
//
// SAT..THU: datetime-local values (WIB) for the forms. In Indonesian, on a
// desktop (1280x900) and a phone (390x844). Prints "ok"/"FAIL" lines and
// "N passed, N failed"; screenshots surveys-*.png in OUT_DIR. Every wait
// is bounded.
import fs from 'node:fs';
import path from 'node:path';
import { T, harness, fitsWidth, noOtherLanguage } from './browser_lib.mjs';

const [base, token, outDir, sat, wed, mon, thu] = process.argv.slice(2);
const { step, shot, watch, browser, finish } = await harness(outDir, 'surveys-', ['--lang=id-ID']);

// English words and every fragment of the English dictionary the
// Indonesian one does not have, shown on the page (as browser.mjs checks).
const NEVER_IN_ID = ['hidden', 'Wave', 'Start', 'Reminder', 'Closes', 'scheduled', 'open', 'closed', 'Close now',
  'Comments', 'Mean', 'Answers', 'Distribution', 'Every', 'Next', 'running', 'stopped', 'Stop', 'Schedule',
  'week', 'Monday', 'Saturday', 'December', 'Dec', 'responses', 'Download'];
const noEnglish = (page) => noOtherLanguage(page, 'id', NEVER_IN_ID);
const fits = fitsWidth;
const waveRows = (page) => page.locator('#survey-waves-table tbody tr');
async function openTrend(page) {
  await page.goto(base + '/admin/#surveys', { timeout: T });
  await page.locator('#view-surveys').waitFor({ state: 'visible', timeout: T });
  await page.locator('#surveys-table tbody tr button').first().click({ timeout: T });
  await page.locator('#survey-trend').waitFor({ state: 'visible', timeout: T });
  await waveRows(page).nth(3).waitFor({ timeout: T });
}

await finish(async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const desk = await ctx.newPage();
  watch(desk, 'desktop', 'accept'); // "close wave N now?"
  await step('the operator signs in (Indonesian by default)', async () => {
    await desk.goto(base + '/admin/', { timeout: T });
    await desk.fill('#token', token);
    await desk.click('#signin-token button[type=submit]');
    await desk.locator('#who', { hasText: 'operator' }).waitFor({ timeout: T });
    await desk.locator('nav a[href="#surveys"]', { hasText: 'Survei' }).waitFor({ timeout: T });
  });
  await step('the survey shows its four waves, the trend chart and a table per question', async () => {
    await openTrend(desk);
    if ((await waveRows(desk).count()) !== 4) throw new Error((await waveRows(desk).count()) + ' waves');
    await waveRows(desk).nth(2).locator('td', { hasText: 'disembunyikan' }).first().waitFor({ timeout: T });
    await desk.locator('#survey-enps-trend').waitFor({ state: 'visible', timeout: T });
    const drawn = await desk.evaluate(() => !!(window.Chart && window.Chart.getChart(document.getElementById('survey-enps-chart'))));
    if (!drawn) throw new Error('no eNPS chart');
    const pts = await desk.evaluate(() => window.Chart.getChart(document.getElementById('survey-enps-chart')).data.datasets[0].data);
    if (JSON.stringify(pts) !== '[20,50,null,80]') throw new Error('eNPS points ' + JSON.stringify(pts));
    const q = desk.locator('#survey-trend-questions .question').first();
    await q.locator('canvas').waitFor({ timeout: T });
    const cells = await q.locator('tbody tr').nth(3).locator('td').allInnerTexts();
    if (cells[2] !== '9,40') throw new Error('wave 4 mean ' + JSON.stringify(cells));
  });
  await step('the survey page shows no English', () => noEnglish(desk));
  await shot(desk, 'trend-id-desktop');

  await step("a wave's comments, sorted", async () => {
    await waveRows(desk).nth(1).getByRole('button', { name: 'Komentar' }).click({ timeout: T });
    await desk.locator('#survey-wave-comments li', { hasText: 'alasan 2-6' }).waitFor({ timeout: T });
    const n = await desk.locator('#survey-wave-comments li').count();
    if (n !== 6) throw new Error(n + ' comments, want 6');
  });
  await shot(desk, 'comments-id-desktop');

  await step('a wave scheduled for a Saturday starts on a working day at 07.30', async () => {
    const f = desk.locator('#survey-schedule');
    await f.locator('input[name=to]').fill('unit=biro sdm');
    await f.locator('input[name=start]').fill(sat);
    await f.locator('input[name=close]').fill(wed);
    await f.locator('button[type=submit]').click();
    await desk.locator('#survey-schedule-result', { hasText: 'Gelombang 5 dijadwalkan untuk' }).waitFor({ timeout: T });
    const txt = await desk.locator('#survey-schedule-result').innerText();
    if (!/mulai \d+ \S+, 07[.:]30, ditutup/.test(txt)) throw new Error(txt);
    await waveRows(desk).nth(4).locator('td', { hasText: 'terjadwal' }).waitFor({ timeout: T });
  });
  await step('...and the page still shows no English', () => noEnglish(desk));
  await shot(desk, 'scheduled-id-desktop');
  await step('a scheduled wave is not counted as sent, and the summary stays on the latest started wave', async () => {
    await desk.click('nav a[href="#overview"]');
    await desk.click('nav a[href="#surveys"]');
    const row = desk.locator('#surveys-table tbody tr').first();
    await row.locator('td', { hasText: '4 (+1 terjadwal)' }).waitFor({ timeout: T });
    await row.getByRole('button').click({ timeout: T });
    await desk.locator('#survey-summary', { hasText: 'eNPS' }).waitFor({ timeout: T });
    const sum = await desk.locator('#survey-summary').innerText();
    if (/disembunyikan/.test(sum)) throw new Error('the summary reads: ' + sum);
    // the scheduled wave has no answers yet: a dash, not "disembunyikan"
    const cells = await waveRows(desk).nth(4).locator('td').allInnerTexts();
    if (cells[5] !== 'terjadwal' || cells[6] !== '\u2013') throw new Error('wave 5 row ' + JSON.stringify(cells));
  });

  await step('a recurring series every 2 weeks', async () => {
    const f = desk.locator('#survey-schedule');
    await f.locator('input[name=to]').fill('all');
    await f.locator('input[name=start]').fill(mon);
    await f.locator('input[name=close]').fill(thu);
    await f.locator('input[name=every]').fill('2');
    await f.locator('button[type=submit]').click();
    await desk.locator('#survey-schedule-result', { hasText: 'Survei berulang #1: gelombang baru setiap 2 minggu' }).waitFor({ timeout: T });
    await desk.locator('#survey-series-table tbody tr', { hasText: 'aktif' }).waitFor({ timeout: T });
  });
  await shot(desk, 'series-id-desktop');

  await step('closing wave 5 now', async () => {
    await waveRows(desk).nth(4).getByRole('button', { name: 'Tutup sekarang' }).click({ timeout: T });
    await desk.locator('#survey-wave-result', { hasText: 'Gelombang 5 ditutup' }).waitFor({ timeout: T });
    await waveRows(desk).nth(4).locator('td', { hasText: 'selesai' }).waitFor({ timeout: T });
  });
  await step('stopping the series', async () => {
    await desk.locator('#survey-series-table tbody tr').first().getByRole('button', { name: 'Hentikan' }).click({ timeout: T });
    await desk.locator('#survey-wave-result', { hasText: 'Survei berulang #1 dihentikan' }).waitFor({ timeout: T });
    await desk.locator('#survey-series-table tbody tr', { hasText: 'dihentikan' }).waitFor({ timeout: T });
  });
  await step('...and still no English', () => noEnglish(desk));
  await shot(desk, 'closed-stopped-id-desktop');

  await step('the trend CSV downloads', async () => {
    const [dl] = await Promise.all([desk.waitForEvent('download', { timeout: T }), desk.click('#survey-trend-csv')]);
    const p = await dl.path();
    const csv = fs.readFileSync(p, 'utf8');
    if (!csv.startsWith('wave,start,metric,value') || !csv.includes('"enps","80.0"')) throw new Error(csv.slice(0, 200));
  });

  // ---- a phone, with the same sign-in
  const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', storageState: await ctx.storageState() });
  const phone = await phoneCtx.newPage();
  watch(phone, 'phone', 'accept');
  await step('phone: the trend fits a 390 px screen, in Indonesian', async () => {
    await openTrend(phone);
    await phone.locator('#survey-trend-questions canvas').first().waitFor({ timeout: T });
    await fits(phone);
    await noEnglish(phone);
  });
  await shot(phone, 'trend-id-phone');
  await step('phone: the schedule form fits too', async () => {
    await phone.locator('#survey-schedule').scrollIntoViewIfNeeded();
    await fits(phone);
  });
  await phone.locator('#survey-schedule-panel').screenshot({ path: path.join(outDir, 'surveys-schedule-id-phone.png') });
  await phoneCtx.close();
});
