/*
 * learning.js - the dashboard's "Belajar" (learning) view, #learning (issue
 * 15, item 5): HR's learning report - needs by unit and competency,
 * catalogue gaps, completion and JP per unit, each with its CSV - under the
 * anonymity threshold k of surveys (a suppressed group shows as
 * "disembunyikan", with no number), and the catalogue: every item (retired
 * ones too), uploading a CSV (every row checked first; the errors by line
 * and column; nothing changes on any error) and retiring an item. Loaded
 * after admin.js, whose helpers it uses ($, el, h, api, fill, say, t,
 * fmt*); admin.js's PAGES row calls learningPage(). API: docs/api.md,
 * "Learning". Text from the server goes in with textContent only.
 */
'use strict';

let learningUnit = ''; /* the unit the report is for, '': every unit */
let learningWired = false;

/* A row's unit: the pool of small units in words. */
function learnUnit(x) {
  return x.other_units ? t('learning.other_units') : x.unit || t('common.dash');
}

/* "1.5" in the page's number format. */
function learnGap(x) {
  return fmtNum(x, 1);
}

function learnCsvLinks() {
  const q = learningUnit ? '&unit=' + encodeURIComponent(learningUnit) : '';
  for (const tb of ['needs', 'gaps', 'progress']) {
    const a = $('learning-csv-' + tb);
    a.href = API + '/learning/report/csv?table=' + tb + q;
  }
}

async function learningReport() {
  const q = learningUnit ? '?unit=' + encodeURIComponent(learningUnit) : '';
  let r;
  try {
    r = (await api('GET', '/learning/report' + q)).data;
    learningUnit = r.unit; /* as stored: "biro sdm" is "Biro SDM" */
    $('learning-filter').unit.value = learningUnit;
    $('learning-unit-result').textContent = '';
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    $('learning-unit-result').textContent = t('learning.bad_unit', { unit: learningUnit });
    learningUnit = '';
    r = (await api('GET', '/learning/report')).data;
  }
  $('learning-k').textContent = t('learning.k_rule', { k: fmtNum(r.anonymity_k) });
  $('learning-scope').textContent = learningUnit ? t('learning.scope_unit', { unit: learningUnit }) : t('learning.scope_all');
  $('learning-year').textContent = t('learning.year', { year: String(r.year) });
  const hidden = () => el('span', t('learning.suppressed'), 'suppressed');
  fill('learning-needs', r.needs.map((x) => [x.competency, learnUnit(x),
    x.suppressed ? hidden() : fmtNum(x.people), x.suppressed ? t('common.dash') : learnGap(x.mean_gap)]),
  t('learning.no_needs'));
  fill('learning-gaps', r.gaps.map((x) => [x.competency, fmtNum(x.people), learnGap(x.mean_gap)]),
    t('learning.no_gaps'));
  fill('learning-progress', r.progress.map((x) => (x.suppressed
    ? [learnUnit(x), hidden(), t('common.dash'), t('common.dash'), t('common.dash'), t('common.dash'), t('common.dash')]
    : [learnUnit(x), fmtNum(x.people), fmtNum(x.in_progress), fmtNum(x.done), fmtNum(x.dropped),
      fmtNum(x.at_20jp_pct) + '%', fmtNum(x.median_jp, 1)])), t('learning.no_progress'));
  learnCsvLinks();
}

/* One catalogue error ("line 3, column 4 (modality): ...") in the page's
   language; what is not recognised stays as the server wrote it. */
const LEARN_REASONS_ID = {
  'empty': 'kosong',
  'too long': 'terlalu panjang',
  'not valid UTF-8': 'bukan UTF-8 yang sah',
  'a control character or line break': 'berisi karakter kendali atau pindah baris',
  'a bidirectional control character': 'berisi karakter kendali arah teks',
  'a competency longer than 48 bytes': 'ada kompetensi yang lebih dari 48 bita',
  'more than 8 competencies': 'lebih dari 8 kompetensi',
  'a competency named twice': 'ada kompetensi yang disebut dua kali',
  'no competency (separate several with ;)': 'tidak ada kompetensi (pisahkan beberapa dengan ;)',
  'an id is 1 to 40 lower-case letters, digits, \'-\' or \'_\' (e.g. el-001)':
    'id berisi 1 sampai 40 huruf kecil, angka, \'-\' atau \'_\' (mis. el-001)',
  'modality must be e-learning, klasikal (classroom), blended, coaching, mentoring or on-the-job':
    'modalitas harus e-learning, klasikal, blended, coaching, mentoring, atau on-the-job',
  'jp must be a whole number from 1 to 200 (1 JP = 45 minutes)': 'jp harus bilangan bulat 1 sampai 200 (1 JP = 45 menit)',
  'level must be dasar, menengah or lanjut': 'level harus dasar, menengah, atau lanjut',
  'language must be id or en': 'bahasa harus id atau en',
  'url must start with https:// or http://, without spaces, at most 300 bytes (or be empty)':
    'url harus diawali https:// atau http://, tanpa spasi, paling panjang 300 bita (atau kosong)',
  'no rows under the header': 'tidak ada baris di bawah judul kolom',
};

function learnWhy(why) {
  if (getLang() !== 'id') return why;
  if (LEARN_REASONS_ID[why]) return LEARN_REASONS_ID[why];
  let m = /^at least (\d+) characters$/.exec(why);
  if (m) return 'paling sedikit ' + m[1] + ' karakter';
  m = /^longer than (\d+) bytes$/.exec(why);
  if (m) return 'lebih dari ' + m[1] + ' bita';
  m = /^id (\S+) is also on an earlier line$/.exec(why);
  if (m) return 'id ' + m[1] + ' sudah ada di baris sebelumnya';
  return why;
}

function learnError(e) {
  let m = /^line (\d+), column (\d+) \(([^)]*)\): (.*)$/.exec(e);
  if (m) return t('learning.err_cell', { line: m[1], col: m[2], name: m[3], why: learnWhy(m[4]) });
  m = /^line 1: the column (\S+) is missing$/.exec(e);
  if (m) return t('learning.err_missing', { name: m[1] });
  m = /^line (\d+): (\d+) fields, the header has (\d+)$/.exec(e);
  if (m) return t('learning.err_fields', { line: m[1], n: m[2], want: m[3] });
  return learnWhy(e);
}

async function learningCatalog() {
  const r = (await api('GET', '/learning/catalog')).data;
  const items = r.items || [];
  const offered = items.filter((x) => !x.retired_at).length;
  $('learning-cat-count').textContent = t('learning.cat_count', { n: fmtNum(offered), all: fmtNum(items.length) });
  fill('learning-catalog', items.map((x) => {
    let act = '';
    if (!x.retired_at) {
      act = el('button', t('learning.retire'), 'small secondary');
      act.type = 'button';
      act.dataset.item = x.id;
      act.addEventListener('click', () => learningRetire(x).catch(showError));
    }
    return [x.id, x.title, x.provider, t('learning.mod.' + x.modality), fmtNum(x.jp),
      x.competencies.split(';').join(', '), t('learning.level.' + x.level), x.language.toUpperCase(),
      x.retired_at ? t('learning.retired_on', { day: fmtDay(x.retired_at) }) : t('learning.offered'), act];
  }), t('learning.cat_empty'));
}

async function learningRetire(x) {
  if (!window.confirm(t('learning.retire_confirm', { title: x.title }))) return;
  await api('POST', '/learning/catalog/' + encodeURIComponent(x.id) + '/retire', {});
  $('learning-cat-result').textContent = t('learning.retired', { title: x.title });
  await Promise.all([learningCatalog(), learningReport()]);
}

async function learningUpload(form) {
  const out = $('learning-cat-result');
  out.replaceChildren();
  const file = form.file.files[0];
  if (!file) return;
  const text = await file.text();
  try {
    const r = (await api('POST', '/learning/catalog/import', text, 'text/csv')).data;
    if (r.ok) {
      out.appendChild(el('p', t('learning.imported', { rows: fmtNum(r.rows), created: fmtNum(r.created), updated: fmtNum(r.updated) }), 'ok'));
      form.reset();
      await Promise.all([learningCatalog(), learningReport()]);
    } else {
      out.appendChild(el('p', t('learning.has_errors', { n: fmtNum(r.nerrors) }), 'error'));
      const ul = el('ul', null, 'errors');
      r.errors.forEach((e) => ul.appendChild(el('li', learnError(e))));
      if (r.nerrors > r.errors.length) ul.appendChild(el('li', t('learning.more_errors', { n: fmtNum(r.nerrors - r.errors.length) })));
      out.appendChild(ul);
    }
  } catch (e) {
    out.appendChild(el('p', e instanceof ApiError && e.status === 413 ? t('learning.too_large') : e instanceof ApiError ? errorText(e) : t('err.network'), 'error'));
  }
}

function learningWire() {
  learningWired = true;
  $('learning-filter').addEventListener('submit', (ev) => {
    ev.preventDefault();
    learningUnit = $('learning-filter').unit.value.trim();
    learningReport().catch(showError);
  });
  $('learning-upload').addEventListener('submit', (ev) => {
    ev.preventDefault();
    learningUpload($('learning-upload')).catch(showError);
  });
}

async function learningPage() {
  if (!learningWired) learningWire();
  await Promise.all([learningReport(), learningCatalog()]);
}
