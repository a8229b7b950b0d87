// tests/e2e/browser_invites.mjs - the dashboard's invites view in headless
// Chromium (run by tests/e2e/browser_invites.test.sh, which starts `bimbing
// serve` with the demo people).
//
//   node tests/e2e/browser_invites.mjs BASE_URL ADMIN_TOKEN OUT_DIR
//
// Prints "ok ..." / "FAIL ..." lines and "N passed, N failed". Screenshots
// go to OUT_DIR as invites-*.png. Every wait is bounded.
import fs from 'node:fs';
import path from 'node:path';
import { T, harness, fitsWidth, noOtherLanguage } from './browser_lib.mjs';

const [base, adminToken, outDir] = process.argv.slice(2);
const { step, shot, newPage, finish } = await harness(outDir, 'invites-');

async function signin(page) {
  await page.goto(base + '/admin/#invites', { timeout: T });
  await page.fill('#token', adminToken, { timeout: T });
  await page.click('#signin-token button[type=submit]');
  await page.locator('#view-invites').waitFor({ state: 'visible', timeout: T });
  await page.locator('#invites-table tbody tr').nth(5).waitFor({ timeout: T });
}

const rowOf = (page, name) => page.locator('#invites-table tbody tr', { hasText: name });
const fits = fitsWidth;
// English words that must not show on the Indonesian page, besides the
// English dictionary's own texts.
const NEVER_IN_ID = ['Invites', 'Issue', 'Download', 'Print', 'Invited', 'Linked', 'Onboarded', 'Revoke',
  'Re-issue', 'Valid until', 'State', 'Consents', 'Web chat', 'not_invited', 'onboarded', 'invited', 'revoked'];
const noEnglish = (page) => noOtherLanguage(page, 'id', NEVER_IN_ID);

await finish(async () => {
  const hr = await newPage('desktop', 1280, 900, { acceptDownloads: true, dialogs: 'accept' });
  await step('desktop: the operator opens Undangan, in Indonesian', async () => {
    await signin(hr);
    await hr.locator('#page-title', { hasText: 'Undangan' }).waitFor({ timeout: T });
  });
  await step('the states: Budi onboarded with his consents, Andi linked, the rest not invited', async () => {
    await rowOf(hr, 'Budi Santoso').filter({ hasText: 'Sudah orientasi' }).filter({ hasText: 'data pendampingan, data kesehatan' }).waitFor({ timeout: T });
    await rowOf(hr, 'Andi Wijaya').filter({ hasText: 'Terhubung' }).waitFor({ timeout: T });
    await rowOf(hr, 'Ayu Lestari').filter({ hasText: 'Belum diundang' }).getByRole('button', { name: 'Terbitkan kode' }).waitFor({ timeout: T });
    await hr.locator('#invite-counts', { hasText: '0 diundang, 1 terhubung, 1 sudah orientasi, 10 belum diundang' }).waitFor({ timeout: T });
    await noEnglish(hr);
  });
  await shot(hr, 'states-id-desktop');

  await step('a unit typo is refused with the checker\'s "did you mean", nothing issued', async () => {
    await hr.fill('#invite-issue input[name=to]', 'unit=biro sdmx');
    await hr.click('#invite-issue button[type=submit]');
    await hr.locator('#invite-result.error', { hasText: 'Maksud Anda "Biro SDM"?' }).waitFor({ timeout: T });
    await hr.locator('#invite-result.error', { hasText: 'Tidak ada kode yang diterbitkan.' }).waitFor({ timeout: T });
    if (await hr.locator('#invite-sheet-panel').isVisible()) throw new Error('a sheet was drawn');
    const states = await hr.locator('#invites-table tbody tr td:nth-child(4)').allTextContents();
    if (states.includes('Diundang')) throw new Error('someone is invited');
  });
  await shot(hr, 'segment-error-id-desktop');

  let csv = '';
  await step('codes for unit=biro sdm: a result line, the states, one card each with a QR code', async () => {
    await hr.fill('#invite-issue input[name=to]', 'unit=biro sdm');
    await hr.click('#invite-issue button[type=submit]');
    await hr.locator('#invite-result', { hasText: '4 kode diterbitkan untuk unit=Biro SDM' }).waitFor({ timeout: T });
    await hr.locator('.invite-card').nth(3).waitFor({ timeout: T });
    const cards = await hr.locator('.invite-card').count();
    if (cards !== 4) throw new Error(cards + ' cards');
    const qrs = await hr.locator('.invite-card svg.qr path').count();
    if (qrs !== 4) throw new Error(qrs + ' QR codes');
    await rowOf(hr, 'Ayu Lestari').filter({ hasText: 'Diundang' }).waitFor({ timeout: T });
    await noEnglish(hr);
  });
  await shot(hr, 'issued-sheet-id-desktop');

  await step('the CSV downloads with every code of the sheet', async () => {
    const [dl] = await Promise.all([hr.waitForEvent('download', { timeout: T }), hr.click('#invite-csv')]);
    csv = fs.readFileSync(await dl.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    if (lines[0] !== 'nip,name,unit,code,telegram_link,web_link,expiry') throw new Error('header ' + lines[0]);
    if (lines.length !== 5) throw new Error(lines.length + ' lines');
    const codes = await hr.locator('.invite-card .code b').allTextContents();
    for (const c of codes) if (!csv.includes('"' + c + '"')) throw new Error('code ' + c + ' not in the CSV');
    if (!/"https:\/\/bimbing\.contoh\.go\.id\/\?code=[A-Z0-9]{10}"/.test(csv)) throw new Error('no web link');
    if (!/"https:\/\/t\.me\/bimbing_sdm_bot\?start=[A-Z0-9]{10}"/.test(csv)) throw new Error('no Telegram link');
  });

  await step('the printable sheet: in print media only the cards, 8 a page', async () => {
    await hr.evaluate(() => document.body.classList.add('print-sheet'));
    await hr.emulateMedia({ media: 'print' });
    if (await hr.locator('#invites-table').isVisible()) throw new Error('the table prints');
    if (await hr.locator('header.top').isVisible()) throw new Error('the top bar prints');
    const pdf = await hr.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(path.join(outDir, 'invites-print-sheet-id.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    if (pages !== 1) throw new Error(pages + ' pages for 4 cards');
  });
  // what the printed page holds (screenshots are taken in screen media, so
  // the sheet element alone, at an A4 page's width; the PDF is the print)
  await hr.emulateMedia({ media: 'screen' });
  await hr.setViewportSize({ width: 794, height: 1123 });
  await hr.locator('#invite-sheet').screenshot({ path: path.join(outDir, 'invites-print-sheet-id.png') });
  await hr.setViewportSize({ width: 1280, height: 900 });
  await hr.evaluate(() => document.body.classList.remove('print-sheet'));

  await step('filter by unit and state', async () => {
    await hr.selectOption('#invite-filter select[name=unit]', 'Biro SDM');
    await hr.selectOption('#invite-filter select[name=state]', 'invited');
    await hr.click('#invite-filter button[type=submit]');
    await hr.waitForFunction(() => document.querySelectorAll('#invites-table tbody tr').length === 4, null, { timeout: T });
    const units = await hr.locator('#invites-table tbody tr td:nth-child(3)').allTextContents();
    if (units.some((u) => u !== 'Biro SDM')) throw new Error('units ' + units.join(','));
  });
  await shot(hr, 'filtered-id-desktop');

  let newCode = '';
  await step('re-issue one person: a new code, a one-card sheet', async () => {
    const old = await hr.locator('.invite-card', { hasText: 'Ayu Lestari' }).locator('.code b').textContent();
    await rowOf(hr, 'Ayu Lestari').getByRole('button', { name: 'Terbitkan ulang' }).click();
    await hr.locator('#invite-person-result', { hasText: 'Kode baru untuk Ayu Lestari' }).waitFor({ timeout: T });
    await hr.waitForFunction(() => document.querySelectorAll('.invite-card').length === 1, null, { timeout: T });
    newCode = await hr.locator('.invite-card .code b').textContent();
    if (newCode === old || !/^[A-Z0-9]{10}$/.test(newCode)) throw new Error('code ' + newCode);
  });
  await step('revoke one person: the state says Dicabut', async () => {
    await rowOf(hr, 'Putri Maharani').getByRole('button', { name: 'Cabut' }).click();
    await hr.locator('#invite-person-result', { hasText: 'Kode undangan Putri Maharani dicabut' }).waitFor({ timeout: T });
    await hr.selectOption('#invite-filter select[name=state]', '');
    await hr.click('#invite-filter button[type=submit]');
    await rowOf(hr, 'Putri Maharani').filter({ hasText: 'Dicabut' }).waitFor({ timeout: T });
  });
  await shot(hr, 'reissue-revoke-id-desktop');

  await step('a card\'s web link fills the web chat\'s sign-in, and the code signs in', async () => {
    const chat = await newPage('chat', 390, 780, { dialogs: 'accept' });
    await chat.goto(base + '/?code=' + newCode, { timeout: T });
    const v = await chat.inputValue('#code', { timeout: T });
    if (v !== newCode) throw new Error('the field holds ' + v);
    await chat.click('#signin-btn');
    await chat.locator('li.msg.bot .bubble', { hasText: 'bahasa apa' }).last().waitFor({ timeout: T });
    await chat.context().close();
  });

  // ---- a phone
  const phone = await newPage('phone', 390, 844, { acceptDownloads: true, dialogs: 'accept' });
  await step('phone: Undangan fits a 390 px screen, in Indonesian', async () => {
    await signin(phone);
    await fits(phone);
    await noEnglish(phone);
  });
  await shot(phone, 'states-id-phone');
  await step('phone: codes for role=mentor and their cards fit the screen', async () => {
    await phone.fill('#invite-issue input[name=to]', 'role=mentor');
    await phone.click('#invite-issue button[type=submit]');
    await phone.locator('#invite-result', { hasText: '2 kode diterbitkan untuk role=mentor (1 orang sudah terhubung)' }).waitFor({ timeout: T });
    await phone.locator('.invite-card').nth(1).waitFor({ timeout: T });
    await fits(phone);
  });
  await shot(phone, 'issued-sheet-id-phone');
  await step('phone: a typo shows the checker\'s error', async () => {
    await phone.fill('#invite-issue input[name=to]', 'unit=bapeda');
    await phone.click('#invite-issue button[type=submit]');
    await phone.locator('#invite-result.error', { hasText: 'Maksud Anda "Bappeda"?' }).waitFor({ timeout: T });
    await fits(phone);
  });
  await shot(phone, 'segment-error-id-phone');
});
