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
    const td = el('td', empty || 'Nothing yet.', 'empty');
    td.colSpan = cols;
    tr.appendChild(td);
    body.appendChild(tr);
    return;
  }
  for (const r of rows) body.appendChild(row(r));
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
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
    throw new ApiError(r.status, (data && data.error) || r.statusText);
  }
  return { status: r.status, data };
}

function showError(e) {
  if (e instanceof ApiError && e.status === 401) {
    showSignin();
    return;
  }
  $('error').textContent = e.message || String(e);
}

function day(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleDateString('en-GB', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', year: 'numeric' });
}

function pct(x) {
  return typeof x === 'number' ? Math.round(x * 100) + '%' : '–';
}

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
  ['overview', 'Overview', HR_ROLES],
  ['alerts', 'Alerts', ['hr', 'counsellor', 'admin']],
  ['surveys', 'Surveys', HR_ROLES],
  ['broadcasts', 'Broadcasts', HR_ROLES],
  ['mentoring', 'Mentoring', HR_ROLES],
  ['people', 'People', HR_ROLES],
  ['conversations', 'Conversations', ['counsellor', 'admin']],
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
  const nav = h('nav', { id: 'nav', hidden: true });
  for (const [name, label] of NAV) nav.appendChild(h('a', { href: '#' + name }, label));
  $('content').prepend(h('h1', { id: 'page-title', class: 'page-title' }),
    h('p', { id: 'error', class: 'error', role: 'alert' }));
  const top = h('header', { class: 'top' },
    h('span', { class: 'brand' }, 'bimbing ', h('b', null, 'HR')),
    nav,
    h('span', { id: 'who', class: 'who' }),
    h('button', { id: 'signout', type: 'button', class: 'link', hidden: true }, 'Sign out'));
  const form = h('form', { id: 'signin-token', autocomplete: 'off' },
    h('label', { for: 'token' }, 'Admin token'),
    h('input', { id: 'token', name: 'token', type: 'password', required: true, maxlength: '255' }),
    h('button', { type: 'submit' }, 'Sign in'));
  const signin = h('main', { id: 'signin', class: 'signin', hidden: true },
    h('div', { class: 'card' },
      h('h1', null, 'HR dashboard'),
      h('p', null, 'HR staff: sign in on the ', h('a', { href: '../' }, 'web chat'),
        ' in this browser first, then:'),
      h('button', { id: 'signin-webchat', type: 'button' }, 'Continue with my web chat sign-in'),
      h('p', { class: 'or' }, 'or, for operators'),
      form,
      h('p', { id: 'signin-error', class: 'error', role: 'alert' })));
  document.body.prepend(top, signin);
}

/* The view named by the fragment; an unknown or empty one is the overview. */
function viewName() {
  const want = location.hash.slice(1);
  if (!session) return NAV.some(([name]) => name === want) ? want : 'overview';
  if (mayView(want)) return want;
  const first = NAV.find(([name]) => mayView(name));
  return first ? first[0] : 'overview';
}

/* Show the fragment's view alone, mark it in the navigation, name it in the
   title, and load it when signed in. */
function showView() {
  const here = viewName();
  for (const [name, label] of NAV) {
    const a = $('nav').querySelector('a[href="#' + name + '"]');
    a.hidden = !!session && !mayView(name);
    $('view-' + name).hidden = name !== here;
    if (name !== here) {
      a.removeAttribute('aria-current');
      continue;
    }
    a.setAttribute('aria-current', 'page');
    $('page-title').textContent = label;
    document.title = label + ' \u00b7 bimbing HR';
  }
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
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('signout').hidden = false;
  $('who').textContent = s.who.name + ' (' + s.who.role + ')';
  $('content').hidden = false;
  for (const k of document.querySelectorAll('.k')) k.textContent = s.anonymity_k;
  showView();
}

async function signin(body) {
  $('signin-error').textContent = '';
  try {
    const r = await api('POST', '/session', body);
    signedIn(r.data);
  } catch (e) {
    $('signin-error').textContent = e.message;
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
    ['People', ov.people],
    ['Conversations in progress', ov.active_conversations],
    ['Check-ins this week', ci.hidden ? 'fewer than ' + ov.anonymity_k + ' people' : ci.count + ' from ' + ci.people],
  ];
  for (const [label, value] of items) {
    const c = el('div', null, 'card-stat');
    c.appendChild(el('span', value, 'value'));
    c.appendChild(el('span', label, 'label'));
    cards.appendChild(c);
  }
  fill('reach-table', ov.reach.map((r) => [r.channel, r.people]), 'Nobody has linked a chat yet.');
  fill('mood-table', ov.mood_weeks.slice().reverse().map((w) =>
    w.hidden ? [w.label, 'fewer than ' + ov.anonymity_k + ' (hidden)', '', ''] : [w.label, w.people, w.answers, w.mood_avg.toFixed(2)]));
  chart('mood-chart', {
    type: 'line',
    data: {
      labels: ov.mood_weeks.map((w) => w.label),
      datasets: [{
        label: 'Average mood',
        data: ov.mood_weeks.map((w) => (w.hidden ? null : w.mood_avg)),
        borderColor: '#0b6e4f',
        backgroundColor: '#0b6e4f',
        spanGaps: false,
        tension: 0.2,
        pointRadius: 4,
      }],
    },
    options: { scales: { y: { min: 1, max: 5, ticks: { stepSize: 1 } } }, plugins: { legend: { display: false } } },
  });
  fill('delivery-table', d.data.channels.map((c) =>
    [c.channel, c.total, c.queued, c.sent, c.delivered, c.read, c.failed, c.blocked]), 'No messages.');
}

function notice(id, what) {
  const n = $(id);
  n.hidden = false;
  n.textContent = what + ' are not available in this build yet (the API answers 501).';
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
    for (const t of tables) fill(t, []);
    return null;
  }
}

async function surveys() {
  if (session.features && !session.features.surveys) notice('surveys-off', 'Surveys');
  const list = await unlessOff(async () => (await api('GET', '/surveys')).data.surveys || [],
    'surveys-off', 'Surveys', ['surveys-table']);
  if (!list) return;
  $('survey-send-panel').hidden = false;
  fill('surveys-table', list.map((s) => {
    const b = el('button', 'Results', 'small');
    b.type = 'button';
    b.addEventListener('click', () => surveyDetail(s.id).catch(showError));
    return [s.title || s.id, s.sent, s.responses === null ? 'hidden' : s.responses, pct(s.response_rate), b];
  }), 'No surveys sent yet.');
}

async function surveyDetail(id) {
  const r = (await api('GET', '/surveys/' + encodeURIComponent(id))).data;
  $('survey-detail').hidden = false;
  $('survey-title').textContent = r.title || r.id;
  const qs = $('survey-questions');
  qs.replaceChildren();
  if (r.hidden) {
    $('survey-summary').textContent = 'Fewer than ' + r.anonymity_k + ' answers: results are hidden.';
    $('survey-csv').hidden = true;
    return;
  }
  let sum = r.responses + ' responses of ' + r.invited + ' invited (' + pct(r.response_rate) + ')';
  if (r.enps) sum += '; eNPS ' + r.enps.score;
  if (r.left_out) sum += '; ' + r.left_out + ' answer(s) left out of every figure (their units had fewer than ' + r.anonymity_k + ' answers)';
  $('survey-summary').textContent = sum;
  $('survey-csv').hidden = false;
  $('survey-csv').href = API + '/surveys/' + encodeURIComponent(id) + '/csv';
  (r.questions || []).forEach((q, i) => {
    const box = el('div', null, 'question');
    box.appendChild(el('h3', q.text || q.id));
    if (q.type === 'text') {
      /* free text: the comments themselves, sorted by the server */
      const list = q.comments || [];
      if (!list.length) box.appendChild(el('p', 'No comments.'));
      const ul = document.createElement('ul');
      ul.className = 'comments';
      for (const t of list) ul.appendChild(el('li', t));
      if (list.length) box.appendChild(ul);
      qs.appendChild(box);
      return;
    }
    const labels = Object.keys(q.counts || {});
    if (!labels.length) {
      box.appendChild(el('p', 'Hidden or no answers.'));
      qs.appendChild(box);
      return;
    }
    const wrap = el('div', null, 'chart small');
    const c = document.createElement('canvas');
    c.id = 'q-chart-' + i;
    wrap.appendChild(c);
    box.appendChild(wrap);
    const t = el('table', null, 'data');
    const tb = document.createElement('tbody');
    for (const l of labels) tb.appendChild(row([l, q.counts[l]]));
    t.appendChild(tb);
    box.appendChild(t);
    qs.appendChild(box);
    chart(c.id, {
      type: 'bar',
      data: { labels, datasets: [{ label: 'Answers', data: labels.map((l) => q.counts[l]), backgroundColor: '#3a8d6f' }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  });
}

async function broadcasts() {
  const list = await unlessOff(async () => (await api('GET', '/broadcasts')).data.broadcasts || [],
    'broadcasts-off', 'Broadcasts', ['broadcasts-table']);
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
    rows.push([day(b.created_at), b.segment, b.text_preview, b.recipients, sum('sent'), sum('delivered'), sum('read'), sum('failed')]);
  }
  fill('broadcasts-table', rows, 'No broadcasts yet.');
}

function person(p) {
  return p ? p.name + ' (' + (p.unit || p.nip) + ')' : '';
}

async function mentoring() {
  const both = await unlessOff(() => Promise.all([api('GET', '/mentoring/suggestions'), api('GET', '/mentoring/pairs')]),
    'mentoring-off', 'Mentoring pairs', ['suggestions-table', 'pairs-table']);
  if (!both) return;
  const [sug, pairs] = both;
  fill('suggestions-table', (sug.data.suggestions || []).map((s) => {
    const b = el('button', 'Approve', 'small');
    b.type = 'button';
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await api('POST', '/mentoring/pairs', { mentor: s.mentor.nip, mentee: s.mentee.nip });
        $('pair-result').textContent = 'Approved: ' + s.mentor.name + ' mentors ' + s.mentee.name + '.';
        await mentoring();
      } catch (e) {
        b.disabled = false;
        $('pair-result').textContent = e.message;
      }
    });
    return [person(s.mentor), person(s.mentee), s.score, (s.reasons || []).join(', '), b];
  }), 'No suggestions.');
  fill('pairs-table', (pairs.data.pairs || []).map((p) =>
    [person(p.mentor), person(p.mentee), day(p.since), p.sessions]), 'No active pairs.');
}

const TOLD = { mentor: 'their mentor', hr: 'HR', fallback: 'the fallback list', nobody: 'nobody could be reached' };

/* Alerts: open ones first, each with a button to mark it followed up. */
async function alerts() {
  const list = (await api('GET', '/alerts')).data.alerts || [];
  fill('alerts-table', list.map((a) => {
    let action = '';
    if (a.state === 'open') {
      action = el('button', 'Followed up', 'small');
      action.type = 'button';
      action.addEventListener('click', async () => {
        action.disabled = true;
        try {
          await api('POST', '/alerts/' + encodeURIComponent(a.id) + '/ack');
          $('alert-result').textContent = 'Marked as followed up: ' + a.person.name + '.';
          await alerts();
        } catch (e) {
          action.disabled = false;
          $('alert-result').textContent = e.message;
        }
      });
    }
    const told = (TOLD[a.sent_to] || a.sent_to) + (a.recipient ? ': ' + a.recipient : '');
    const state = a.state === 'open' ? 'open' : 'followed up ' + day(a.acked_at) + ' by ' + a.acked_by;
    return [day(a.created_at), a.kind, person(a.person), told, state, action];
  }), 'No alerts.');
}

async function people(q) {
  const r = (await api('GET', '/people?limit=200' + (q ? '&q=' + encodeURIComponent(q) : ''))).data;
  $('people-total').textContent = '(' + r.total + ')';
  fill('people-table', r.people.map((p) =>
    [p.nip, p.name, p.unit, p.role, p.language, p.channels.join(', ')]), 'No people match.');
}

async function importCsv(form) {
  const out = $('import-result');
  out.replaceChildren();
  const file = form.file.files[0];
  if (!file) return;
  const text = await file.text();
  const dry = form.dry_run.checked ? '?dry_run=1' : '';
  try {
    const r = (await api('POST', '/people/import' + dry, text, 'text/csv')).data;
    if (r.ok) {
      out.appendChild(el('p', (r.dry_run ? 'Checked: ' : 'Imported: ') + r.rows + ' rows, ' +
        r.created + ' new, ' + r.updated + ' updated.' + (r.dry_run ? ' Nothing was changed.' : ''), 'ok'));
      if (!r.dry_run) await people();
    } else {
      out.appendChild(el('p', r.error + ' (' + r.nerrors + ' problem' + (r.nerrors === 1 ? '' : 's') + ')', 'error'));
      const ul = el('ul', null, 'errors');
      for (const e of r.errors) ul.appendChild(el('li', e));
      out.appendChild(ul);
    }
  } catch (e) {
    out.appendChild(el('p', e.message, 'error'));
  }
}

/* ---- conversations handed to a counsellor (docs/safety.md) -------------- */

let handoffOpen = 0; /* the id shown in #handoff-detail, 0: none */

function when(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString('en-GB', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

const REASONS = { command: 'asked (/bicara)', distress: 'after the help lines', wellbeing: 'after a low WHO-5' };

async function conversations() {
  const list = (await api('GET', '/handoffs')).data.handoffs || [];
  fill('handoffs-table', list.map((c) => {
    const b = el('button', 'Open', 'small');
    b.type = 'button';
    b.addEventListener('click', () => handoff(c.id).catch(showError));
    const status = el('span', c.waiting ? 'waiting for an answer' : 'answered', c.waiting ? 'badge-waiting' : '');
    return [c.person.name, c.person.unit, when(c.opened_at), REASONS[c.reason] || c.reason, c.messages, status, b];
  }), 'Nobody is waiting for a person right now.');
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
  $('handoff-title').textContent = c.person.name + ' (' + (c.person.unit || c.person.nip) + ')' + (c.open ? '' : ' \u2014 closed');
  const ol = $('handoff-thread');
  ol.replaceChildren();
  for (const m of c.thread || []) {
    const li = el('li', null, m.from);
    li.appendChild(el('span', (m.from === 'person' ? c.person.name : 'Counsellor') + ', ' + when(m.at), 'meta'));
    li.appendChild(document.createTextNode(m.text));
    ol.appendChild(li);
  }
  if (!(c.thread || []).length) ol.appendChild(el('li', 'No messages yet.', 'person'));
  $('handoff-answer').hidden = !c.open;
}

async function handoffAnswer(form) {
  if (!handoffOpen) return;
  await api('POST', '/handoffs/' + handoffOpen + '/messages', { text: form.text.value });
  form.text.value = '';
  await handoff(handoffOpen);
  await conversations();
  $('handoff-result').textContent = 'Sent. It goes to the person\'s chat like any other message.';
}

async function handoffClose() {
  if (!handoffOpen) return;
  const id = handoffOpen;
  await api('POST', '/handoffs/' + id + '/close', {});
  await conversations();
  $('handoff-detail').hidden = true;
  handoffOpen = 0;
  $('error').textContent = '';
  $('handoff-closed').textContent = 'Closed. The person was told that the counsellor has left and the bot is back.';
}

const PAGES = {
  overview,
  alerts,
  surveys,
  broadcasts,
  mentoring,
  people: () => people(''),
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
  f('import', importCsv);
  f('handoff-answer', handoffAnswer);
  $('handoff-close').addEventListener('click', () => handoffClose().catch(showError));
  f('people-search', (form) => people(form.q.value));
  f('survey-send', async (form) => {
    const r = await api('POST', '/surveys/' + encodeURIComponent(form.id.value) + '/send', { to: form.to.value });
    $('survey-send-result').textContent = 'Sent to ' + r.data.recipients + ' people.';
    await surveys();
  });
  f('broadcast-new', async (form) => {
    const r = await api('POST', '/broadcasts', { to: form.to.value, text: form.text.value });
    $('broadcast-result').textContent = 'Queued for ' + r.data.recipients + ' people.';
    form.text.value = '';
    await broadcasts();
  });
}

async function start() {
  renderShell();
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
