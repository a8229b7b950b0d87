// tests/e2e/browser_learning.mjs - the dashboard's learning view in
// headless Chromium (run by tests/e2e/browser_learning.test.sh, which
// seeds tests/e2e/learning_seed.sh's data and starts `bimbing serve`).
//
//   node tests/e2e/browser_learning.mjs BASE_URL ADMIN_TOKEN OUT_DIR TMP_DIR
//
// Prints "ok ..." / "FAIL ..." lines and "N passed, N failed". Screenshots
// go to OUT_DIR as learning-*.png. Every wait is bounded.
import fs from 'node:fs';
import path from 'node:path';
import { T, harness, fitsWidth, noOtherLanguage } from './browser_lib.mjs';

const [base, adminToken, outDir, tmpDir] = process.argv.slice(2);
const { step, shot, newPage: page0, finish } = await harness(outDir, 'learning-', ['--lang=id-ID']);
const newPage = (who, width, height) => page0(who, width, height, { acceptDownloads: true, locale: 'id-ID', dialogs: 'accept' });

async function signin(page) {
  await page.goto(base + '/admin/#learning', { timeout: T });
  await page.fill('#token', adminToken, { timeout: T });
  await page.click('#signin-token button[type=submit]');
  await page.locator('#view-learning').waitFor({ state: 'visible', timeout: T });
  await page.locator('#learning-catalog tbody tr').nth(5).waitFor({ timeout: T });
}

const rowOf = (page, table, ...texts) => {
  let l = page.locator('#' + table + ' tbody tr');
  for (const x of texts) l = l.filter({ hasText: x });
  return l;
};
const fits = fitsWidth;
// English words that must not show on the Indonesian page, besides the
// English dictionary's own texts.
const NEVER_IN_ID = ['Learning', 'Needs', 'People', 'Mean gap', 'suppressed', 'Download', 'Catalogue', 'Upload',
  'Retire', 'retired', 'offered', 'other units', 'In progress', 'Done', 'Dropped', 'Provider', 'Title', 'line', 'column',
  'must be', 'classroom', 'basic', 'intermediate', 'advanced'];
// The sample catalogue has a course in English, "Business English Writing
// for Government": its title is data.
const noEnglish = (page) => noOtherLanguage(page, 'id', NEVER_IN_ID, { allow: ['English'] });
// A part of the page, from the top of one element to the bottom of
// another (the pictures of docs/hr-guide.md).
async function clipShot(page, fromSel, toSel, name) {
  await page.evaluate(() => window.scrollTo(0, 0)); /* boxes in page coordinates */
  const a = await page.locator(fromSel).first().boundingBox();
  const b = await page.locator(toSel).first().boundingBox();
  const y = Math.max(0, a.y - 12);
  await page.screenshot({ path: path.join(outDir, 'learning-' + name + '.png'), fullPage: true,
    clip: { x: 0, y, width: page.viewportSize().width, height: b.y + b.height + 12 - y } });
}
async function csvOf(page, id) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.click('#' + id)]);
  const p = path.join(tmpDir, id + '.csv');
  await dl.saveAs(p);
  return fs.readFileSync(p, 'utf8');
}

const HDR = 'id,title,provider,modality,jp,competencies,level,language,url\n';
const BAD = HDR +
  'kl-anggaran,Perencanaan Anggaran,Pusdiklat,klasikal,16,perencanaan anggaran,dasar,id,\n' +
  'el-baru,Kursus Baru,Platform,webinar,300,analisis data,pemula,id,ftp://x\n';
const GOOD = HDR + 'kl-anggaran,Perencanaan Anggaran Berbasis Kinerja,Pusdiklat,klasikal,16,perencanaan anggaran,dasar,id,https://example.org/anggaran\n';

await finish(async () => {
  const hr = await newPage('desktop', 1280, 900);
  await step('desktop: the operator opens Belajar, in Indonesian', async () => {
    await signin(hr);
    await hr.locator('#page-title', { hasText: 'Belajar' }).waitFor({ timeout: T });
    await hr.locator('#learning-k', { hasText: 'kurang dari 5 orang' }).waitFor({ timeout: T });
    await noEnglish(hr);
  });
  await step('needs: Biro SDM 5 people need analisis data, mean gap 1,6', async () => {
    await rowOf(hr, 'learning-needs', 'analisis data', 'Biro SDM', '1,6').waitFor({ timeout: T });
  });
  await step('needs: the pool of small units is shown as suppressed, without a number', async () => {
    const r = rowOf(hr, 'learning-needs', 'analisis data', '(unit lain)');
    await r.locator('.suppressed', { hasText: 'disembunyikan (< k)' }).waitFor({ timeout: T });
    const cells = await r.locator('td').allInnerTexts();
    if (cells.some((c) => /\d/.test(c))) throw new Error('a number in a suppressed row: ' + cells.join(' | '));
  });
  await step('gaps: perencanaan anggaran, 5 people; the suppressed need is no gap', async () => {
    await rowOf(hr, 'learning-gaps', 'perencanaan anggaran', '5').waitFor({ timeout: T });
    if (await rowOf(hr, 'learning-gaps', 'manajemen talenta').count()) throw new Error('manajemen talenta listed as a gap');
  });
  await step('progress: Biro SDM 7 people, 29% at 20 JP, median 10,0', async () => {
    await rowOf(hr, 'learning-progress', 'Biro SDM', '29%', '10,0').waitFor({ timeout: T });
    await rowOf(hr, 'learning-progress', '(unit lain)', '20%').waitFor({ timeout: T });
  });
  await shot(hr, 'report-id-desktop');
  await clipShot(hr, '#page-title', '#learning-csv-progress', 'doc-report');
  await step('each table downloads as CSV with the same figures', async () => {
    const needs = await csvOf(hr, 'learning-csv-needs');
    if (!needs.includes('"Biro SDM","analisis data","5","1.6","0"')) throw new Error('needs CSV: ' + needs.slice(0, 200));
    if (!needs.includes('"(other units)","analisis data",,,"1"')) throw new Error('needs CSV has no suppressed row');
    const gaps = await csvOf(hr, 'learning-csv-gaps');
    if (!gaps.startsWith('competency,people,mean_gap\r\n"perencanaan anggaran","5","2.0"')) throw new Error('gaps CSV: ' + gaps);
    const prog = await csvOf(hr, 'learning-csv-progress');
    if (!prog.includes('"Biro SDM","7","1","1","1","29","10.0","0"')) throw new Error('progress CSV: ' + prog);
  });
  await step('one unit: Biro SDM, its small cell suppressed by name', async () => {
    await hr.fill('#learning-filter input[name=unit]', 'biro sdm');
    await hr.click('#learning-filter button[type=submit]');
    await hr.locator('#learning-scope', { hasText: 'unit Biro SDM' }).waitFor({ timeout: T });
    await rowOf(hr, 'learning-needs', 'manajemen talenta', 'Biro SDM', 'disembunyikan').waitFor({ timeout: T });
    if (await rowOf(hr, 'learning-progress', 'Bappeda').count()) throw new Error('Bappeda in a Biro SDM report');
  });
  await shot(hr, 'unit-id-desktop');
  await step('an unknown unit is said so, and every unit shows', async () => {
    await hr.fill('#learning-filter input[name=unit]', 'Biro SMD');
    await hr.click('#learning-filter button[type=submit]');
    await hr.locator('#learning-unit-result', { hasText: 'Unit "Biro SMD" tidak dikenal' }).waitFor({ timeout: T });
    await rowOf(hr, 'learning-progress', 'Bappeda').waitFor({ timeout: T });
  });
  await step('a bad catalogue upload: every error by line and column in Indonesian, nothing changed', async () => {
    await hr.setInputFiles('#learning-upload input[type=file]', { name: 'katalog-salah.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD) });
    await hr.click('#learning-upload button[type=submit]');
    const res = hr.locator('#learning-cat-result');
    await res.locator('p.error', { hasText: 'Berkas berisi 4 kesalahan; tidak ada yang diubah.' }).waitFor({ timeout: T });
    for (const x of ['Baris 3, kolom 4 (modality): modalitas harus', 'Baris 3, kolom 5 (jp): jp harus bilangan bulat 1 sampai 200',
      'Baris 3, kolom 7 (level): level harus dasar, menengah, atau lanjut', 'Baris 3, kolom 9 (url): url harus diawali https://']) {
      await res.locator('li', { hasText: x }).waitFor({ timeout: T });
    }
    if (await rowOf(hr, 'learning-catalog', 'kl-anggaran').count()) throw new Error('the good row of a bad file was imported');
    await rowOf(hr, 'learning-gaps', 'perencanaan anggaran').waitFor({ timeout: T });
    await noEnglish(hr);
  });
  await shot(hr, 'upload-errors-id-desktop');
  await clipShot(hr, '#learning-cat-count', '#learning-cat-result', 'doc-upload-errors');
  await step('a good upload adds the item and closes the gap', async () => {
    await hr.setInputFiles('#learning-upload input[type=file]', { name: 'katalog.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD) });
    await hr.click('#learning-upload button[type=submit]');
    await hr.locator('#learning-cat-result p.ok', { hasText: 'Diimpor: 1 baris, 1 baru, 0 diperbarui.' }).waitFor({ timeout: T });
    await rowOf(hr, 'learning-catalog', 'kl-anggaran', 'Perencanaan Anggaran Berbasis Kinerja', 'ditawarkan').waitFor({ timeout: T });
    await hr.locator('#learning-gaps td.empty', { hasText: 'Tidak ada celah' }).waitFor({ timeout: T });
  });
  await step('retiring the item: marked retired, the gap is back', async () => {
    await rowOf(hr, 'learning-catalog', 'kl-anggaran').locator('button', { hasText: 'Hentikan' }).click();
    await hr.locator('#learning-cat-result', { hasText: '"Perencanaan Anggaran Berbasis Kinerja" dihentikan' }).waitFor({ timeout: T });
    await rowOf(hr, 'learning-catalog', 'kl-anggaran', 'dihentikan').waitFor({ timeout: T });
    if (await rowOf(hr, 'learning-catalog', 'kl-anggaran').locator('button').count()) throw new Error('a retired item can be retired again');
    await rowOf(hr, 'learning-gaps', 'perencanaan anggaran').waitFor({ timeout: T });
  });
  await shot(hr, 'catalog-id-desktop');

  // ---- a phone
  const phone = await newPage('phone', 390, 844);
  await step('phone: Belajar fits a 390 px screen, in Indonesian', async () => {
    await signin(phone);
    await rowOf(phone, 'learning-needs', '(unit lain)', 'disembunyikan').first().waitFor({ timeout: T });
    await fits(phone);
    await noEnglish(phone);
  });
  await shot(phone, 'report-id-phone');
  await phone.screenshot({ path: path.join(outDir, 'learning-report-id-phone-top.png') });
  await step('phone: a bad upload shows its errors and fits the screen', async () => {
    await phone.setInputFiles('#learning-upload input[type=file]', { name: 'katalog-salah.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD) });
    await phone.click('#learning-upload button[type=submit]');
    await phone.locator('#learning-cat-result li', { hasText: 'Baris 3, kolom 4 (modality)' }).waitFor({ timeout: T });
    await fits(phone);
  });
  await shot(phone, 'upload-errors-id-phone');
  await phone.locator('#learning-upload').locator('xpath=..').screenshot({ path: path.join(outDir, 'learning-upload-errors-panel-phone.png') });
});
