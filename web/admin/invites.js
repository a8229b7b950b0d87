/*
 * invites.js - the dashboard's "Undangan" (invites) view, #invites: issue
 * codes for a segment (the segment checker's refusal shown by the form),
 * download them as CSV, print them as a sheet of cards (8 a page, each with
 * the person's name, unit, code, both links and a QR code), and each
 * person's state (invited, linked, onboarded, consents) with a filter by
 * unit and state, and re-issue or revoke per person. Loaded after admin.js,
 * whose helpers it uses (api, $, h, el, fill, row, say, t, fmt*); admin.js's
 * PAGES row calls invitesPage(). API: docs/api.md, "Invites".
 * A code is only in the answer that made it: the CSV and the sheet are
 * built from that answer in this page and never fetched again.
 */
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
let inviteCsvUrl = null;
let invitesWired = false;

/* The QR code of a row (the server's SVG path data over size x size
   modules) as an <svg> with a 4-module quiet zone. */
function qrSvg(qr, name) {
  const n = qr.size + 8;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '-4 -4 ' + n + ' ' + n);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('invites.card_qr', { name }));
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of [['x', -4], ['y', -4], ['width', n], ['height', n], ['fill', '#fff']]) bg.setAttribute(k, v);
  const p = document.createElementNS(SVG_NS, 'path');
  p.setAttribute('d', qr.path);
  p.setAttribute('fill', '#000');
  svg.append(bg, p);
  return svg;
}

/* One person's card on the sheet. */
function inviteCard(r) {
  const links = h('dl', { class: 'links' });
  if (r.telegram_link) links.append(h('dt', null, t('invites.card_telegram')), h('dd', null, r.telegram_link));
  if (r.web_link) links.append(h('dt', null, t('invites.card_web')), h('dd', null, r.web_link));
  return h('article', { class: 'invite-card' },
    h('div', { class: 'person' }, h('strong', null, r.name), h('span', null, r.unit), h('span', { class: 'nip' }, r.nip)),
    r.qr ? qrSvg(r.qr, r.name) : h('span'),
    h('div', { class: 'code' }, h('small', null, t('invites.card_code')), h('b', null, r.code)),
    links,
    h('p', { class: 'how' }, t('invites.card_how', { code: r.code })),
    h('p', { class: 'until' }, t('invites.card_until', { date: fmtDay(r.expiry) })));
}

/* The sheet: pages of 8 cards. */
function drawSheet(rows) {
  const sheet = $('invite-sheet');
  sheet.replaceChildren();
  for (let i = 0; i < rows.length; i += 8) {
    const page = h('div', { class: 'sheet-page' });
    for (const r of rows.slice(i, i + 8)) page.append(inviteCard(r));
    sheet.append(page);
  }
  $('invite-sheet-panel').hidden = rows.length === 0;
}

function offerCsv(csv, name) {
  if (inviteCsvUrl) URL.revokeObjectURL(inviteCsvUrl);
  inviteCsvUrl = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  $('invite-csv').href = inviteCsvUrl;
  $('invite-csv').setAttribute('download', name);
  $('invite-actions').hidden = false;
}

function csvOf(rows) {
  const q = (s) => '"' + String(s === null || s === undefined ? '' : s).replace(/"/g, '""') + '"';
  const cols = ['nip', 'name', 'unit', 'code', 'telegram_link', 'web_link', 'expiry'];
  return cols.join(',') + '\r\n' + rows.map((r) => cols.map((c) => q(c === 'unit' && /^[=+\-@]/.test(r[c]) ? "'" + r[c] : r[c])).join(',') + '\r\n').join('');
}

async function issueInvites(form) {
  const res = $('invite-result');
  res.className = 'result';
  res.textContent = '';
  let r;
  try {
    r = await api('POST', '/invites', { to: form.to.value.trim(), ttl: form.ttl.value });
  } catch (e) {
    if (e.status === 401) throw e;
    res.className = 'result error';
    /* the checker's words, but for codes: nothing was issued (not sent) */
    res.textContent = e instanceof ApiError ? errorText(e).replace(t('err.segment.none_sent'), t('invites.none_issued'))
      : t('err.network');
    return;
  }
  const d = r.data;
  res.textContent = d.issued
    ? t('invites.issued', { n: fmtNum(d.issued), segment: d.segment, linked: fmtNum(d.already_linked) })
    : t('invites.none', { segment: d.segment });
  if (d.issued) {
    offerCsv(d.csv, 'undangan-' + d.segment.replace(/[^A-Za-z0-9]+/g, '-') + '.csv');
    drawSheet(d.rows);
  }
  await inviteStates();
}

async function personAction(p, what) {
  const res = $('invite-person-result');
  res.className = 'result';
  if (what === 'revoke' && !window.confirm(t('invites.confirm_revoke', { name: p.name }))) return;
  let r;
  try {
    r = await api('POST', '/invites/' + encodeURIComponent(p.nip) + '/' + what);
  } catch (e) {
    if (e.status === 401) throw e;
    res.className = 'result error';
    say('invite-person-result', e);
    return;
  }
  if (what === 'reissue') {
    res.textContent = t('invites.reissued', { name: p.name, code: r.data.code });
    offerCsv(csvOf([r.data]), 'undangan-' + p.nip + '.csv');
    drawSheet([r.data]);
  } else {
    res.textContent = t(r.data.revoked ? 'invites.revoked' : 'invites.revoked_none', { name: p.name });
  }
  await inviteStates();
}

function consentWords(list) {
  return list.map((c) => (I18N[getLang()]['invites.consent.' + c] !== undefined ? t('invites.consent.' + c) : c)).join(', ');
}

/* The table of states, with the form's filters. */
async function inviteStates() {
  const f = $('invite-filter');
  const q = new URLSearchParams();
  if (f.unit.value) q.set('unit', f.unit.value);
  if (f.state.value) q.set('state', f.state.value);
  const r = await api('GET', '/invites' + (q.toString() ? '?' + q : ''));
  const d = r.data;
  /* the unit choices: kept as chosen */
  const chosen = f.unit.value;
  const opts = [f.unit.options[0]];
  for (const u of d.units) {
    const o = h('option', { value: u }, u);
    if (u === chosen) o.selected = true;
    opts.push(o);
  }
  f.unit.replaceChildren(...opts);
  const c = d.counts || {};
  $('invite-counts').textContent = t('invites.counts', {
    invited: fmtNum(c.invited || 0), linked: fmtNum(c.linked || 0),
    onboarded: fmtNum(c.onboarded || 0), not_invited: fmtNum(c.not_invited || 0),
  });
  fill('invites-table', d.people.map((p) => {
    const acts = h('span', { class: 'actions' });
    if (p.state !== 'linked' && p.state !== 'onboarded') {
      const re = h('button', { type: 'button', class: 'small' }, t(p.state === 'not_invited' ? 'invites.issue_one' : 'invites.reissue'));
      re.addEventListener('click', () => personAction(p, 'reissue').catch(showError));
      acts.append(re);
      if (p.state === 'invited') {
        const rv = h('button', { type: 'button', class: 'small secondary' }, t('invites.revoke'));
        rv.addEventListener('click', () => personAction(p, 'revoke').catch(showError));
        acts.append(' ', rv);
      }
    }
    return [p.nip, p.name, p.unit, h('span', { class: 'state state-' + p.state }, t('invites.state.' + p.state)),
      p.expires_at ? fmtShortDay(p.expires_at) : '', p.channels.map(channelName).join(', '),
      consentWords(p.consents), acts];
  }));
}

function wireInvites() {
  if (invitesWired) return;
  invitesWired = true;
  const on = (id, fn) => $(id).addEventListener('submit', (ev) => {
    ev.preventDefault();
    fn($(id)).catch(showError);
  });
  on('invite-issue', issueInvites);
  on('invite-filter', () => inviteStates());
  $('invite-print').addEventListener('click', () => {
    document.body.classList.add('print-sheet');
    window.print();
  });
  window.addEventListener('afterprint', () => document.body.classList.remove('print-sheet'));
}

/* admin.js's PAGES row: the view was opened (or the language changed). */
async function invitesPage() {
  wireInvites();
  await inviteStates();
}
