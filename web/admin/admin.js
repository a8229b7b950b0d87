/*
 * admin.js - the HR dashboard (web/admin/index.html, one page): sign-in,
 * then the view named by the URL's fragment (#overview, #surveys, ...), all
 * from the JSON API under /api/v1 (docs/api.md). Plain JS, no framework.
 * Text from the server always goes in with textContent, never as HTML.
 * Charts use Chart.js when vendor/chart.umd.min.js is there
 * (web/admin/vendor.sh); every chart also has a table with the same
 * numbers. The shell (the top bar with its navigation, the sign-in card,
 * the view's title and error line) is built here, once; index.html holds
 * each view's content as a <div class="view" id="view-NAME">. The fragment
 * is the state: the back button and a reload keep the view.
 * Every text people read comes from web/admin/i18n.js (t(), applyI18n(),
 * fmtDay(), fmtNum(), ...): Indonesian by default, English with the ID | EN
 * switch in the top bar, the choice kept per person by the server.
 */
'use strict';

const API = '../api/v1';
let csrf = '';
let session = null;

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.appendChild(c);
    else td.textContent = c === null || c === undefined ? '' : String(c);
    tr.appendChild(td);
  }
  return tr;
}

function fill(tableId, rows, empty) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren();
  if (!rows.length) {
    const cols = $(tableId).querySelectorAll('thead th').length;
    const tr = document.createElement('tr');
    const td = el('td', empty || t('common.empty'), 'empty');
    td.colSpan = cols;
    tr.appendChild(td);
    body.appendChild(tr);
    return;
  }
  for (const r of rows) body.appendChild(row(r));
}

class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body, type) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') opts.headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    opts.headers['Content-Type'] = type || 'application/json';
    opts.body = type ? body : JSON.stringify(body);
  }
  const r = await fetch(API + path, opts);
  let data = null;
  try {
    data = await r.json();
  } catch (e) {
    data = null;
  }
  if (!r.ok && !(r.status === 422 && data)) {
    throw new ApiError(r.status, (data && data.error) || r.statusText, data);
  }
  /* Every answer of ours that succeeds is JSON: one without a body was cut
   * off on the way (the page was left mid-read), a network failure. */
  if (data === null) throw new TypeError('fetch: the answer was cut off');
  return { status: r.status, data };
}

function showError(e) {
  if (e instanceof ApiError && e.status === 401) {
    showSignin();
    return;
  }
  if (!(e instanceof ApiError) && !(e instanceof TypeError && /fetch/i.test(e.message))) {
    console.error('dashboard: ' + (e && e.stack ? e.stack : e)); /* a defect here, not the network */
  }
  $('error').textContent = e instanceof ApiError ? errorText(e) : t('err.network');
}

/* An API error's words in the language, for a result line. */
function say(id, e, ctx) {
  $(id).textContent = e instanceof ApiError ? errorText(e, ctx) : t('err.network');
}

const day = fmtDay;
const pct = fmtPct;

function chart(canvasId, config) {
  if (!window.Chart) {
    $(canvasId).parentElement.hidden = true;
    return;
  }
  const old = window.Chart.getChart($(canvasId));
  if (old) old.destroy();
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
  new window.Chart($(canvasId), config);
}

/* ---- the shared shell ------------------------------------------------- */

/* The views, in the navigation's order: name (#name, view-name), label,
   and the roles that may see it (the API's route rows decide; this only
   hides what would answer 403). The operator is "admin". */
const HR_ROLES = ['hr', 'admin'];
const NAV = [
  ['overview', 'nav.overview', HR_ROLES],
  ['alerts', 'nav.alerts', ['hr', 'counsellor', 'admin']],
  ['surveys', 'nav.surveys', HR_ROLES],
  ['broadcasts', 'nav.broadcasts', HR_ROLES],
  ['mentoring', 'nav.mentoring', HR_ROLES],
  ['people', 'nav.people', HR_ROLES],
  ['invites', 'invites.nav', HR_ROLES],
  ['learning', 'learning.nav', HR_ROLES],
  ['conversations', 'nav.conversations', ['counsellor', 'admin']],
];

/* May the signed-in person see the view name? */
function mayView(name) {
  const v = NAV.find(([n]) => n === name);
  return !!(v && session && (v[2] || HR_ROLES).includes(session.who.role)); /* no list: HR's */
}

/* h('tag', {attr: value}, child...): an element; a string child becomes text. */
function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/* The top bar and the sign-in card, put before the views, and the view's
   title and error line at the top of them. */
function renderShell() {
  const nav = h('nav', { id: 'nav', hidden: true, 'data-i18n-label': 'nav.label' });
  for (const [name, key] of NAV) nav.appendChild(h('a', { href: '#' + name, 'data-i18n': key }));
  $('content').prepend(h('h1', { id: 'page-title', class: 'page-title' }),
    h('p', { id: 'error', class: 'error', role: 'alert' }));
  /* the language switch: ID | EN, the current one pressed */
  const langs = h('span', { id: 'lang', class: 'lang', role: 'group', 'data-i18n-label': 'lang.switch' });
  LANGS.forEach((l, i) => {
    if (i) langs.append(h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'));
    langs.append(h('button', { type: 'button', class: 'link lang-' + l, 'data-lang': l, 'data-i18n-label': 'lang.' + l },
      l.toUpperCase()));
  });
  const top = h('header', { class: 'top' },
    h('span', { class: 'brand' }, 'bimbing ', h('b', { 'data-i18n': 'app.brand' })),
    nav,
    h('span', { id: 'who', class: 'who' }),
    langs,
    h('button', { id: 'signout', type: 'button', class: 'link', hidden: true, 'data-i18n': 'shell.signout' }));
  const form = h('form', { id: 'signin-token', autocomplete: 'off' },
    h('label', { for: 'token', 'data-i18n': 'signin.token' }),
    h('input', { id: 'token', name: 'token', type: 'password', required: true, maxlength: '255' }),
    h('button', { type: 'submit', 'data-i18n': 'signin.submit' }));
  const signin = h('main', { id: 'signin', class: 'signin', hidden: true },
    h('div', { class: 'card' },
      h('h1', { 'data-i18n': 'signin.title' }),
      h('p', null, h('span', { 'data-i18n': 'signin.intro' }), h('a', { href: '../', 'data-i18n': 'signin.webchat_link' }),
        h('span', { 'data-i18n': 'signin.intro_end' })),
      h('button', { id: 'signin-webchat', type: 'button', 'data-i18n': 'signin.webchat' }),
      h('p', { class: 'or', 'data-i18n': 'signin.or' }),
      form,
      h('p', { id: 'signin-error', class: 'error', role: 'alert' })));
  document.body.prepend(top, signin);
}

/* Draw every fixed text in the current language and mark the switch. */
function drawLanguage() {
  window.i18nParams = { k: session ? session.anonymity_k : 5 };
  applyI18n(document);
  for (const b of document.querySelectorAll('#lang button')) {
    b.setAttribute('aria-pressed', b.dataset.lang === getLang() ? 'true' : 'false');
  }
  if (session) $('who').textContent = t('shell.who', { name: session.who.name, role: roleName(session.who.role) });
  document.title = t('app.title');
}

/* The switch was pressed: draw everything again, and keep the choice (the
   server for a person, this browser for everyone). */
async function chooseLanguage(l) {
  if (l === getLang()) return;
  setLangOnly(l);
  for (const id of ['pair-result', 'alert-result', 'survey-send-result', 'broadcast-result', 'handoff-result',
    'handoff-closed', 'signin-error', 'survey-schedule-result', 'survey-wave-result']) $(id).textContent = '';
  $('import-result').replaceChildren();
  drawLanguage();
  if (session) {
    showView();
    if (surveyOpen) surveyDetail(surveyOpen).catch(showError);
    if (handoffOpen) handoff(handoffOpen).catch(showError);
    try {
      await api('PUT', '/session/lang', { lang: l });
    } catch (e) {
      showError(e);
    }
  }
}

/* The view named by the fragment; an unknown or empty one is the overview. */
function viewName() {
  const want = location.hash.slice(1);
  if (/^broadcast\/\d+$/.test(want) && (!session || mayView('broadcasts'))) return 'broadcast'; /* bcmentor.js */
  if (!session) return NAV.some(([name]) => name === want) ? want : 'overview';
  if (mayView(want)) return want;
  const first = NAV.find(([name]) => mayView(name));
  return first ? first[0] : 'overview';
}

/* Show the fragment's view alone, mark it in the navigation, name it in the
   title, and load it when signed in. */
function showView() {
  const here = viewName();
  for (const [name, key] of NAV) {
    const a = $('nav').querySelector('a[href="#' + name + '"]');
    a.hidden = !!session && !mayView(name);
    $('view-' + name).hidden = name !== here;
    if (name !== here) {
      a.removeAttribute('aria-current');
      continue;
    }
    a.setAttribute('aria-current', 'page');
    $('page-title').textContent = t(key);
    document.title = t(key) + ' \u00b7 ' + t('app.title');
  }
  $('view-broadcast').hidden = here !== 'broadcast'; /* a broadcast's page (bcmentor.js) */
  $('error').textContent = '';
  if (session) PAGES[here]().catch(showError);
}

/* ---- sign-in ---------------------------------------------------------- */

function showSignin() {
  $('content').hidden = true;
  $('nav').hidden = true;
  $('signout').hidden = true;
  $('who').textContent = '';
  $('signin').hidden = false;
}

function signedIn(s) {
  session = s;
  csrf = s.csrf;
  /* a person's stored choice wins; else what this browser chose last */
  if (s.lang) setLangOnly(s.lang);
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('signout').hidden = false;
  $('content').hidden = false;
  drawLanguage();
  showView();
}

async function signin(body) {
  $('signin-error').textContent = '';
  try {
    const r = await api('POST', '/session', body);
    const chosen = getLang();
    signedIn(r.data);
    /* chosen on the sign-in page, never chosen before: keep it for them */
    if (!r.data.lang && r.data.who.kind === 'person' && chosen !== 'id') {
      setLangOnly(chosen);
      drawLanguage();
      showView();
      api('PUT', '/session/lang', { lang: chosen }).catch(showError);
    }
  } catch (e) {
    say('signin-error', e, body.token !== undefined ? 'signin.token' : 'signin.webchat');
  }
}

/* ---- views ------------------------------------------------------------ */

async function overview() {
  const [o, d] = await Promise.all([api('GET', '/overview?weeks=8'), api('GET', '/delivery?days=7')]);
  const ov = o.data;
  const cards = $('cards');
  cards.replaceChildren();
  const ci = ov.checkins_this_week;
  const items = [
    [t('overview.people'), fmtNum(ov.people)],
    [t('overview.active'), fmtNum(ov.active_conversations)],
    [t('overview.checkins'), ci.hidden ? t('overview.fewer_than', { k: ov.anonymity_k })
      : t('overview.checkins_value', { count: fmtNum(ci.count), people: fmtNum(ci.people) })],
  ];
  for (const [label, value] of items) {
    const c = el('div', null, 'card-stat');
    c.appendChild(el('span', value, 'value'));
    c.appendChild(el('span', label, 'label'));
    cards.appendChild(c);
  }
  fill('reach-table', ov.reach.map((r) => [channelName(r.channel), fmtNum(r.people)]), t('overview.reach_empty'));
  fill('mood-table', ov.mood_weeks.slice().reverse().map((w) =>
    w.hidden ? [fmtShortDay(w.week), t('overview.hidden_week', { k: ov.anonymity_k }), '', '']
      : [fmtShortDay(w.week), fmtNum(w.people), fmtNum(w.answers), fmtNum(w.mood_avg, 2)]));
  chart('mood-chart', {
    type: 'line',
    data: {
      labels: ov.mood_weeks.map((w) => fmtShortDay(w.week)),
      datasets: [{
        label: t('overview.mood_avg'),
        data: ov.mood_weeks.map((w) => (w.hidden ? null : w.mood_avg)),
        borderColor: '#0b6e4f',
        backgroundColor: '#0b6e4f',
        spanGaps: false,
        tension: 0.2,
        pointRadius: 4,
      }],
    },
    options: { locale: LOCALES[getLang()], scales: { y: { min: 1, max: 5, ticks: { stepSize: 1 } } }, plugins: { legend: { display: false } } },
  });
  fill('delivery-table', d.data.channels.map((c) =>
    [channelName(c.channel)].concat([c.total, c.queued, c.sent, c.delivered, c.read, c.failed, c.blocked].map((x) => fmtNum(x)))),
  t('overview.messages_empty'));
}

function notice(id, key) {
  const n = $(id);
  n.hidden = false;
  n.textContent = t(key);
}

/* What load() gives, or null when its module is not in this build (the
   API answers 501): then notice noticeId says so and the tables show
   they are empty. */
async function unlessOff(load, noticeId, what, tables) {
  try {
    return await load();
  } catch (e) {
    if (e.status !== 501) throw e;
    notice(noticeId, what);
    for (const tab of tables) fill(tab, []);
    return null;
  }
}

async function surveys() {
  if (session.features && !session.features.surveys) notice('surveys-off', 'surveys.off');
  const list = await unlessOff(async () => (await api('GET', '/surveys')).data.surveys || [],
    'surveys-off', 'surveys.off', ['surveys-table']);
  if (!list) return;
  $('survey-send-panel').hidden = false;
  if (window.surveyScheduleShow) surveyScheduleShow(); /* surveys.js */
  fill('surveys-table', list.map((s) => {
    const b = el('button', t('surveys.results'), 'small');
    b.type = 'button';
    b.addEventListener('click', () => surveyDetail(s.id).catch(showError));
    /* "sent" counts started waves; scheduled ones are named apart */
    const sent = fmtNum(s.sent) + (s.scheduled ? ' ' + t('surveys.plus_scheduled', { n: fmtNum(s.scheduled) }) : '');
    return [surveyTitle(s), sent, s.responses === null ? t('common.hidden') : fmtNum(s.responses), pct(s.response_rate), b];
  }), t('surveys.empty'));
}

/* A survey's or question's text in the language (the API gives both). */
function surveyTitle(s) {
  return (getLang() === 'id' && s.title_id) || s.title || s.id;
}

let surveyOpen = ''; /* the survey shown in #survey-detail, '': none */

async function surveyDetail(id) {
  const r = (await api('GET', '/surveys/' + encodeURIComponent(id))).data;
  surveyOpen = id;
  $('survey-detail').hidden = false;
  $('survey-title').textContent = surveyTitle(r);
  const qs = $('survey-questions');
  qs.replaceChildren();
  if (window.surveyTrend) await surveyTrend(id); /* surveys.js: waves, trend, series */
  if (r.hidden) {
    $('survey-summary').textContent = t('surveys.hidden', { k: r.anonymity_k });
    $('survey-csv').hidden = true;
    return;
  }
  let sum = t('surveys.summary', { responses: fmtNum(r.responses), invited: fmtNum(r.invited), rate: pct(r.response_rate) });
  if (r.enps) sum += t('surveys.enps', { score: fmtNum(r.enps.score, Number.isInteger(r.enps.score) ? 0 : 1) });
  if (r.left_out) sum += t('surveys.left_out', { n: fmtNum(r.left_out), k: fmtNum(r.anonymity_k) });
  $('survey-summary').textContent = sum;
  $('survey-csv').hidden = false;
  $('survey-csv').href = API + '/surveys/' + encodeURIComponent(id) + '/csv';
  (r.questions || []).forEach((q, i) => {
    const box = el('div', null, 'question');
    box.appendChild(el('h3', (getLang() === 'id' && q.text_id) || q.text || q.id));
    const shown = (l) => (getLang() === 'id' && q.labels_id && q.labels_id[l]) || l;
    if (q.type === 'text') {
      /* free text: the comments themselves, sorted by the server */
      const list = q.comments || [];
      if (!list.length) box.appendChild(el('p', t('surveys.no_comments')));
      const ul = document.createElement('ul');
      ul.className = 'comments';
      for (const c of list) ul.appendChild(el('li', c));
      if (list.length) box.appendChild(ul);
      qs.appendChild(box);
      return;
    }
    const labels = Object.keys(q.counts || {});
    if (!labels.length) {
      box.appendChild(el('p', t('surveys.no_answers')));
      qs.appendChild(box);
      return;
    }
    const wrap = el('div', null, 'chart small');
    const c = document.createElement('canvas');
    c.id = 'q-chart-' + i;
    wrap.appendChild(c);
    box.appendChild(wrap);
    const tbl = el('table', null, 'data');
    const tb = document.createElement('tbody');
    for (const l of labels) tb.appendChild(row([shown(l), fmtNum(q.counts[l])]));
    tbl.appendChild(tb);
    box.appendChild(tbl);
    qs.appendChild(box);
    chart(c.id, {
      type: 'bar',
      data: { labels: labels.map(shown), datasets: [{ label: t('surveys.answers'), data: labels.map((l) => q.counts[l]), backgroundColor: '#3a8d6f' }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  });
}

async function broadcasts() {
  const list = await unlessOff(async () => (await api('GET', '/broadcasts')).data.broadcasts || [],
    'broadcasts-off', 'broadcasts.off', ['broadcasts-table']);
  if (!list) return;
  $('broadcast-new-panel').hidden = false;
  const rows = [];
  for (const b of list) {
    let d = { channels: [] };
    try {
      d = (await api('GET', '/broadcasts/' + encodeURIComponent(b.id))).data;
    } catch (e) {
      /* delivery unknown: show the broadcast anyway */
    }
    const sum = (k) => d.channels.reduce((a, c) => a + (c[k] || 0), 0);
    rows.push([bcLink(b), fmtWhen(b.created_at), b.segment, b.text_preview, fmtNum(b.recipients)].concat(
      ['sent', 'delivered', 'read', 'failed'].map((k) => fmtNum(sum(k)))));
  }
  fill('broadcasts-table', rows, t('broadcasts.empty'));
}

function person(p) {
  return p ? p.name + ' (' + (p.unit || p.nip) + ')' : '';
}

async function mentoring() {
  const both = await unlessOff(() => Promise.all([api('GET', '/mentoring/suggestions'), api('GET', '/mentoring/pairs')]),
    'mentoring-off', 'mentoring.off', ['suggestions-table', 'pairs-table']);
  if (!both) return;
  const [sug, pairs] = both;
  fill('suggestions-table', (sug.data.suggestions || []).map((s) => {
    const b = el('button', t('mentoring.approve'), 'small');
    b.type = 'button';
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await api('POST', '/mentoring/pairs', { mentor: s.mentor.nip, mentee: s.mentee.nip });
        $('pair-result').textContent = t('mentoring.approved', { mentor: s.mentor.name, mentee: s.mentee.name });
        await mentoring();
      } catch (e) {
        b.disabled = false;
        say('pair-result', e);
      }
    });
    return [person(s.mentor), person(s.mentee), fmtNum(s.score), (s.reasons || []).map(matchReason).join(', '),
      h('span', { class: 'row' }, b, rejectButton(s))];
  }), t('mentoring.none'));
  fill('pairs-table', (pairs.data.pairs || []).map((p) =>
    [person(p.mentor), person(p.mentee), day(p.since), fmtNum(p.sessions), endButton(p)]), t('mentoring.no_pairs'));
  await mentoringMore();
}

const TOLD = ['mentor', 'hr', 'fallback', 'nobody'];

/* Alerts: open ones first, each with a button to mark it followed up. */
async function alerts() {
  const list = (await api('GET', '/alerts')).data.alerts || [];
  fill('alerts-table', list.map((a) => {
    let action = '';
    if (a.state === 'open') {
      action = el('button', t('alerts.ack'), 'small');
      action.type = 'button';
      action.addEventListener('click', async () => {
        action.disabled = true;
        try {
          await api('POST', '/alerts/' + encodeURIComponent(a.id) + '/ack');
          $('alert-result').textContent = t('alerts.acked', { name: a.person.name });
          await alerts();
        } catch (e) {
          action.disabled = false;
          say('alert-result', e);
        }
      });
    }
    const told = (TOLD.includes(a.sent_to) ? t('alerts.told.' + a.sent_to) : a.sent_to) + (a.recipient ? ': ' + a.recipient : '');
    const state = a.state === 'open' ? t('alerts.open') : t('alerts.followed', { when: fmtWhen(a.acked_at), by: a.acked_by_name || a.acked_by });
    const kind = ['wellbeing', 'distress'].includes(a.kind) ? t('alerts.kind.' + a.kind) : a.kind;
    return [fmtWhen(a.created_at), kind, person(a.person), told, state, action];
  }), t('alerts.empty'));
}

/* people: web/admin/people.js */

/* ---- conversations handed to a counsellor (docs/safety.md) -------------- */

let handoffOpen = 0; /* the id shown in #handoff-detail, 0: none */

const when = fmtWhen;

const REASONS = ['command', 'distress', 'wellbeing'];

async function conversations() {
  const list = (await api('GET', '/handoffs')).data.handoffs || [];
  fill('handoffs-table', list.map((c) => {
    const b = el('button', t('common.open'), 'small');
    b.type = 'button';
    b.addEventListener('click', () => handoff(c.id).catch(showError));
    const status = el('span', t(c.waiting ? 'conv.waiting' : 'conv.answered'), c.waiting ? 'badge-waiting' : '');
    const why = REASONS.includes(c.reason) ? t('conv.reason.' + c.reason) : c.reason;
    return [c.person.name, c.person.unit, when(c.opened_at), why, fmtNum(c.messages), status, b];
  }), t('conv.empty'));
  if (handoffOpen && !list.some((c) => c.id === handoffOpen)) {
    $('handoff-detail').hidden = true;
    handoffOpen = 0;
  }
}

async function handoff(id) {
  const c = (await api('GET', '/handoffs/' + id)).data;
  handoffOpen = id;
  $('handoff-closed').textContent = '';
  $('handoff-detail').hidden = false;
  $('handoff-result').textContent = '';
  $('handoff-title').textContent = c.person.name + ' (' + (c.person.unit || c.person.nip) + ')' + (c.open ? '' : t('conv.closed_suffix'));
  const ol = $('handoff-thread');
  ol.replaceChildren();
  for (const m of c.thread || []) {
    const li = el('li', null, m.from);
    li.appendChild(el('span', (m.from === 'person' ? c.person.name : t('conv.counsellor')) + ', ' + when(m.at), 'meta'));
    li.appendChild(document.createTextNode(m.text));
    ol.appendChild(li);
  }
  if (!(c.thread || []).length) ol.appendChild(el('li', t('conv.no_messages'), 'person'));
  $('handoff-answer').hidden = !c.open;
}

async function handoffAnswer(form) {
  if (!handoffOpen) return;
  await api('POST', '/handoffs/' + handoffOpen + '/messages', { text: form.text.value });
  form.text.value = '';
  await handoff(handoffOpen);
  await conversations();
  $('handoff-result').textContent = t('conv.sent');
}

async function handoffClose() {
  if (!handoffOpen) return;
  const id = handoffOpen;
  await api('POST', '/handoffs/' + id + '/close', {});
  await conversations();
  $('handoff-detail').hidden = true;
  handoffOpen = 0;
  $('error').textContent = '';
  $('handoff-closed').textContent = t('conv.closed');
}

const PAGES = {
  overview,
  alerts,
  surveys,
  broadcasts,
  broadcast: broadcastPage,
  mentoring,
  people: () => peopleView(), /* people.js */
  invites: () => invitesPage(),
  learning: () => learningPage(), /* learning.js */
  conversations,
};

/* ---- wiring ------------------------------------------------------------- */

function wire() {
  $('signin-webchat').addEventListener('click', () => signin({ webchat: true }));
  $('signin-token').addEventListener('submit', (ev) => {
    ev.preventDefault();
    signin({ token: $('token').value });
    $('token').value = '';
  });
  $('signout').addEventListener('click', async () => {
    try {
      await api('DELETE', '/session');
    } catch (e) {
      /* signed out either way */
    }
    csrf = '';
    showSignin();
  });
  const f = (id, fn) => {
    const form = $(id);
    if (form) {
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        fn(form).catch(showError);
      });
    }
  };
  f('handoff-answer', handoffAnswer);
  $('handoff-close').addEventListener('click', () => handoffClose().catch(showError));
  /* A refused send is said next to its form (a segment's typo with the
     nearest unit), not at the top of the page. */
  f('survey-send', async (form) => {
    $('survey-send-result').className = 'result';
    try {
      const r = await api('POST', '/surveys/' + encodeURIComponent(form.id.value) + '/send', { to: form.to.value });
      $('survey-send-result').textContent = t('surveys.sent_to', { n: fmtNum(r.data.recipients) });
    } catch (e) {
      if (e.status === 401) throw e;
      $('survey-send-result').className = 'result error';
      if (e.status === 404) $('survey-send-result').textContent = t('err.survey.unknown', { id: form.id.value });
      else say('survey-send-result', e);
      return;
    }
    await surveys();
  });
  f('broadcast-new', bcCompose);
  bcmWire();
  for (const b of document.querySelectorAll('#lang button')) {
    b.addEventListener('click', () => chooseLanguage(b.dataset.lang));
  }
}

async function start() {
  setLangOnly(storedLang());
  renderShell();
  drawLanguage();
  wire();
  showView();
  window.addEventListener('hashchange', showView);
  try {
    const r = await api('GET', '/session');
    signedIn(r.data);
  } catch (e) {
    showSignin();
  }
}

document.addEventListener('DOMContentLoaded', start);
