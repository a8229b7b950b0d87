// tests/e2e/browser_people.mjs - the dashboard's people view in headless
// Chromium, in Indonesian (run by tests/e2e/browser_people.test.sh, which
// starts `bimbing serve` on a seeded database).
//
//   node tests/e2e/browser_people.mjs BASE_URL ADMIN_TOKEN OUT_DIR AYU_NIP BUDI_NIP
//
// Prints "ok ..." / "FAIL ..." lines and "N passed, N failed". Screenshots
// go to OUT_DIR as people-*.png. Every wait is bounded.
import fs from 'node:fs';
import { T, harness, fitsWidth, noOtherLanguage } from './browser_lib.mjs';

const [base, adminToken, outDir, AYU, BUDI] = process.argv.slice(2);
const { step, shot, newPage, finish } = await harness(outDir, 'people-');

async function signin(page) {
  await page.goto(base + '/admin/#people', { timeout: T });
  await page.fill('#token', adminToken, { timeout: T });
  await page.click('#signin-token button[type=submit]');
  await page.locator('#view-people').waitFor({ state: 'visible', timeout: T });
  await page.locator('#people-table tbody tr').first().waitFor({ timeout: T });
}

// English words that must not show on the Indonesian people view, besides
// the English dictionary's own texts.
const NEVER_IN_ID = ['Search', 'People', 'State', 'Role', 'Name', 'Channels', 'linked', 'invited', 'deactivated',
  'Consents', 'given', 'refused', 'not asked', 'Recent activity', 'sent a message', 'weekly check-in', 'Previous',
  'Next', 'Erase', 'Deactivate', 'Download', 'line', 'column', 'employee', 'counsellor', 'never invited', 'Unit of'];
const noEnglish = (page) => noOtherLanguage(page, 'id', NEVER_IN_ID);
const fitsPhone = fitsWidth;

await finish(async () => {
  const hr = await newPage('desktop', 1280, 900, { acceptDownloads: true });
  await step('people: the operator signs in; the list is in Indonesian with its total', async () => {
    await signin(hr);
    await hr.locator('#people-total', { hasText: '(132)' }).waitFor({ timeout: T });
    await hr.locator('#people-range', { hasText: '1–50 dari 132' }).waitFor({ timeout: T });
    await noEnglish(hr);
  });
  await shot(hr, 'list');

  await step('people: pages through the list', async () => {
    await hr.click('#people-next');
    await hr.locator('#people-range', { hasText: '51–100 dari 132' }).waitFor({ timeout: T });
    await hr.click('#people-next');
    await hr.locator('#people-range', { hasText: '101–132 dari 132' }).waitFor({ timeout: T });
    if (!(await hr.locator('#people-next').isDisabled())) throw new Error('next is enabled on the last page');
  });

  await step('people: filter by unit (any case), role and state', async () => {
    await hr.fill('#people-search input[name=unit]', 'biro sdm');
    await hr.selectOption('#people-search select[name=role]', 'hr');
    await hr.click('#people-search button[type=submit]');
    await hr.locator('#people-range', { hasText: '1–1 dari 1' }).waitFor({ timeout: T });
    await hr.locator('#people-table tbody', { hasText: 'Siti Rahmawati' }).waitFor({ timeout: T });
    await hr.fill('#people-search input[name=unit]', '');
    await hr.selectOption('#people-search select[name=role]', '');
    await hr.selectOption('#people-search select[name=state]', 'invited');
    await hr.click('#people-search button[type=submit]');
    await hr.locator('#people-table tbody', { hasText: 'Budi Santoso' }).waitFor({ timeout: T });
    await hr.locator('#people-table tbody', { hasText: 'diundang' }).waitFor({ timeout: T });
    await noEnglish(hr);
  });
  await shot(hr, 'filter');

  await step('people: search by name and open the person page', async () => {
    await hr.selectOption('#people-search select[name=state]', '');
    await hr.fill('#people-search input[name=q]', 'lestari');
    await hr.click('#people-search button[type=submit]');
    await hr.locator('#people-range', { hasText: '1–1 dari 1' }).waitFor({ timeout: T });
    await hr.locator('#people-table tbody button').first().click();
    await hr.locator('#person-title', { hasText: 'Ayu Lestari' }).waitFor({ timeout: T });
    await hr.locator('#person-facts', { hasText: 'terhubung' }).waitFor({ timeout: T });
    await hr.locator('#person-channels', { hasText: 'Telegram' }).waitFor({ timeout: T });
    await hr.locator('#person-consents', { hasText: 'tidak setuju / ditarik' }).waitFor({ timeout: T });
    // the consents by the names the chat's /privasi uses (as on the invites page)
    await hr.locator('#person-consents', { hasText: 'Data pendampingan' }).waitFor({ timeout: T });
    await hr.locator('#person-consents', { hasText: 'Kabar ke mentor/SDM bila kesejahteraan rendah' }).waitFor({ timeout: T });
    // Andi is Ayu's mentor: the row says so in words, not "mentor / Andi Wijaya"
    await hr.locator('#person-links tbody tr', { hasText: 'Dibimbing oleh' }).filter({ hasText: 'Andi Wijaya' })
      .waitFor({ timeout: T });
    await hr.locator('#person-activity', { hasText: 'mengirim pesan' }).waitFor({ timeout: T });
    await hr.locator('#person-activity', { hasText: 'check-in mingguan' }).waitFor({ timeout: T });
    const body = await hr.locator('#view-people').innerText();
    if (/pribadi|rahasia/.test(body)) throw new Error('a message body is on the page');
    await noEnglish(hr);
  });
  await shot(hr, 'person');

  await step('people: change the role', async () => {
    await hr.selectOption('#person-role select[name=role]', 'mentor');
    await hr.click('#person-role button[type=submit]');
    await hr.locator('#person-result', { hasText: 'Peran diubah menjadi mentor' }).waitFor({ timeout: T });
    await hr.locator('#person-activity', { hasText: 'peran diubah oleh SDM' }).waitFor({ timeout: T });
  });

  await step('people: the export downloads the person\'s JSON', async () => {
    const [dl] = await Promise.all([hr.waitForEvent('download', { timeout: T }), hr.click('#person-export')]);
    if (!dl.suggestedFilename().startsWith('bimbing-' + AYU + '-')) throw new Error('file ' + dl.suggestedFilename());
    const file = await dl.path();
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (data.person.nip !== AYU || !Array.isArray(data.checkins)) throw new Error('not the export');
  });

  await step('people: erasure with a wrong typed text is refused', async () => {
    // the box hints what to type, never the NIP itself
    const hint = await hr.locator('#person-erase input[name=confirm]').getAttribute('placeholder');
    if (hint !== 'ketik NIP atau nama lengkap') throw new Error('the erase box hints: ' + hint);
    await hr.fill('#person-erase input[name=confirm]', 'Ayu');
    await hr.click('#person-erase button[type=submit]');
    await hr.locator('#person-result', { hasText: 'bukan NIP atau nama lengkap' }).waitFor({ timeout: T });
    await hr.locator('#person-title', { hasText: 'Ayu Lestari' }).waitFor({ timeout: T });
  });
  await shot(hr, 'erase-refused');

  await step('people: erasure with the NIP typed', async () => {
    await hr.fill('#person-erase input[name=confirm]', AYU);
    await hr.click('#person-erase button[type=submit]');
    await hr.locator('#import-result', { hasText: 'Semua data Ayu Lestari' }).waitFor({ timeout: T });
    await hr.locator('#person-detail').waitFor({ state: 'hidden', timeout: T });
    await hr.locator('#people-table tbody', { hasText: 'Tidak ada pegawai yang cocok' }).waitFor({ timeout: T });
  });
  await shot(hr, 'erased');

  await step('people: deactivate a leaver after a confirmation', async () => {
    await hr.fill('#people-search input[name=q]', BUDI);
    await hr.click('#people-search button[type=submit]');
    await hr.locator('#people-table tbody', { hasText: 'Budi Santoso' }).waitFor({ timeout: T });
    await hr.locator('#people-table tbody button').first().click();
    await hr.locator('#person-title', { hasText: 'Budi Santoso' }).waitFor({ timeout: T });
    hr.once('dialog', (d) => d.accept());
    await hr.click('#person-deactivate');
    await hr.locator('#person-result', { hasText: 'Pegawai dinonaktifkan' }).waitFor({ timeout: T });
    await hr.locator('#person-facts', { hasText: 'dinonaktifkan' }).waitFor({ timeout: T });
    await hr.locator('#people-table tbody', { hasText: 'dinonaktifkan' }).waitFor({ timeout: T });
    if (!(await hr.locator('#person-deactivate').isDisabled())) throw new Error('deactivate still enabled');
  });
  await shot(hr, 'deactivated');

  await step('people: an import with bad rows lists them by line and column in Indonesian', async () => {
    await hr.setInputFiles('#import input[type=file]', {
      name: 'salah.csv', mimeType: 'text/csv',
      buffer: Buffer.from('nip,name,unit,role,timezone,phone\n' +
        '19850101201001100,Salah Satu,Biro SDM,employee,WIB,\n' +
        '200001012020011099,Salah Dua,Biro SDM,employee,Asia/Bandung,\n' +
        '200001012020011098,Salah Tiga,Biro SDM,employee,,081234500001\n' +
        '200001012020011097,Salah Empat,Biro SDM,employee,,+62 812 3450 0001\n'),
    });
    await hr.click('#import button[type=submit]');
    await hr.locator('#import-result', { hasText: 'tidak ada yang diubah' }).waitFor({ timeout: T });
    await hr.locator('#import-result li', { hasText: 'baris 2, kolom 1 (nip): NIP harus tepat 18 angka' }).waitFor({ timeout: T });
    await hr.locator('#import-result li', { hasText: 'baris 3, kolom 5 (timezone): zona waktu ini tidak ada' }).waitFor({ timeout: T });
    await hr.locator('#import-result li', { hasText: 'baris 5, kolom 6 (phone): nomor telepon ini juga ada di baris 4' }).waitFor({ timeout: T });
    await noEnglish(hr);
  });
  await shot(hr, 'import-errors');

  // ---- the phone
  const phone = await newPage('phone', 390, 844, { acceptDownloads: true });
  await step('people (phone): the list fits the screen', async () => {
    await signin(phone);
    await phone.locator('#people-range', { hasText: 'dari' }).waitFor({ timeout: T });
    await fitsPhone(phone);
    await noEnglish(phone);
  });
  await shot(phone, 'phone-list');
  await step('people (phone): a person page fits the screen', async () => {
    await phone.fill('#people-search input[name=q]', 'Andi');
    await phone.click('#people-search button[type=submit]');
    await phone.locator('#people-table tbody', { hasText: 'Andi Wijaya' }).waitFor({ timeout: T });
    await phone.locator('#people-table tbody button').first().click();
    await phone.locator('#person-title', { hasText: 'Andi Wijaya' }).waitFor({ timeout: T });
    await fitsPhone(phone);
    await noEnglish(phone);
  });
  await shot(phone, 'phone-person');
  await step('people (phone): a wrong typed text refuses the erasure', async () => {
    await phone.fill('#person-erase input[name=confirm]', 'bukan dia');
    await phone.click('#person-erase button[type=submit]');
    await phone.locator('#person-result', { hasText: 'Tidak ada yang dihapus' }).waitFor({ timeout: T });
    await fitsPhone(phone);
  });
  await shot(phone, 'phone-erase-refused');
});
