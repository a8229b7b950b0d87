/*
 * people.js - the dashboard's people view (#people, index.html's
 * view-people): the list with search, filters (unit, role, state) and
 * pages of 50; a person's page (channels, consents, mentor and mentees,
 * recent activity as kinds and times only, invite state); role change,
 * deactivation, the export download and the erasure with the NIP or the
 * name typed; the CSV import with each bad row's line, column and reason
 * in the dashboard's language. The API is docs/api.md, "People"; admin.js
 * gives api(), el(), fill(), row(), showError(), say() and the shell,
 * i18n.js gives t() and the formats. Loaded after admin.js.
 */
'use strict';

const PEOPLE_PAGE = 50;
const peopleState = { q: '', unit: '', role: '', state: '', offset: 0, total: 0, open: '' };

function stateName(s) {
  return I18N[getLang()]['people.state.' + s] !== undefined ? t('people.state.' + s) : s;
}

/* The list: the current filters, one page. */
async function peopleList() {
  const f = peopleState;
  const qs = new URLSearchParams({ limit: String(PEOPLE_PAGE), offset: String(f.offset) });
  for (const k of ['q', 'unit', 'role', 'state']) if (f[k]) qs.set(k, f[k]);
  const r = (await api('GET', '/people?' + qs.toString())).data;
  f.total = r.total;
  $('people-total').textContent = t('people.total', { n: fmtNum(r.total) });
  fill('people-table', r.people.map((p) => {
    const b = el('button', t('common.open'), 'small');
    b.type = 'button';
    b.addEventListener('click', () => personOpen(p.nip).catch(showError));
    const st = el('span', stateName(p.state), 'state-' + p.state);
    return [p.nip, p.name, p.unit, roleName(p.role), st, p.channels.map(channelName).join(', '), b];
  }), t('people.empty'));
  const from = r.total ? f.offset + 1 : 0;
  $('people-range').textContent = t('people.range', {
    from: fmtNum(from), to: fmtNum(f.offset + r.people.length), total: fmtNum(r.total),
  });
  $('people-prev').disabled = f.offset === 0;
  $('people-next').disabled = f.offset + PEOPLE_PAGE >= r.total;
}

async function peopleView() {
  await peopleList();
  if (peopleState.open) await personOpen(peopleState.open, true);
}

function fact(dl, key, value) {
  dl.append(el('dt', t(key)), el('dd', value === null || value === undefined || value === '' ? t('common.dash') : value));
}

const CONSENT_PURPOSES = ['data', 'health', 'mentor_share', 'wellbeing_alert', 'number_share'];

/* An activity kind ("message.text", "reply.delivered", "checkin",
   "audit.person.role") in words. */
function activityName(kind) {
  const k = 'people.act.' + kind;
  if (I18N[getLang()][k] !== undefined) return t(k);
  if (kind.startsWith('audit.')) return t('people.act.audit', { action: kind.slice(6) });
  if (kind.startsWith('reply.')) {
    const st = 'people.' + kind; /* people.reply.<delivery state> */
    return t('people.act.reply', { state: I18N[getLang()][st] !== undefined ? t(st) : kind.slice(6) });
  }
  return kind;
}

/* A person's page; keep: leave the result line as it is. */
async function personOpen(nip, keep) {
  let r;
  try {
    r = (await api('GET', '/people/' + encodeURIComponent(nip))).data;
  } catch (e) {
    if (e.status !== 404) throw e;
    $('person-detail').hidden = true;
    peopleState.open = '';
    return;
  }
  const p = r.person;
  peopleState.open = nip;
  $('person-detail').hidden = false;
  if (!keep) $('person-result').textContent = '';
  $('person-title').textContent = p.name + ' \u00b7 ' + p.nip;
  const dl = $('person-facts');
  dl.replaceChildren();
  fact(dl, 'people.unit', p.unit);
  fact(dl, 'people.d_position', [p.position, p.grade].filter(Boolean).join(', '));
  fact(dl, 'people.role', roleName(p.role));
  fact(dl, 'people.state', stateName(r.state) + (p.deactivated_at ? ' (' + fmtWhen(p.deactivated_at) + ')' : ''));
  fact(dl, 'people.language', LANGS.includes(p.language) ? t('lang.' + p.language) : p.language);
  fact(dl, 'people.d_tz', p.timezone);
  fact(dl, 'people.d_onboarded', t(r.onboarded ? 'people.yes' : 'people.no'));
  const inv = r.invite;
  fact(dl, 'people.d_invite', t('people.inv.' + inv.state) +
    (inv.state === 'open' ? ' ' + t('people.inv.until', { when: fmtWhen(inv.expires_at) }) : '') +
    (inv.state === 'used' ? ' (' + fmtWhen(inv.used_at) + ')' : ''));
  fill('person-channels', r.channels.map((c) => [channelName(c.channel) + (c.blocked ? ' ' + t('people.d_blocked') : ''),
    fmtWhen(c.linked_at), fmtWhen(c.last_seen)]), t('people.d_no_channels'));
  fill('person-consents', CONSENT_PURPOSES.map((k) => [t('people.consent.' + k), t('people.answer.' + r.consents[k])]));
  /* their mentors: "Dibimbing oleh"; their mentees: "Mentor dari" */
  fill('person-links', r.mentors.map((m) => [t('people.d_mentored_by'), m.name, m.unit, fmtDay(m.since)])
    .concat(r.mentees.map((m) => [t('people.d_mentor_of'), m.name, m.unit, fmtDay(m.since)])), t('people.d_no_links'));
  fill('person-activity', r.activity.map((a) => [fmtWhen(a.at), activityName(a.kind)]), t('people.d_no_activity'));
  const gone = r.state === 'deactivated';
  const form = $('person-role');
  form.role.value = p.role;
  form.role.disabled = gone;
  form.querySelector('button[type=submit]').disabled = gone;
  $('person-deactivate').disabled = gone;
  $('person-export').href = API + '/people/' + encodeURIComponent(p.nip) + '/export';
  $('person-erase').confirm.value = '';
  $('person-erase').dataset.name = p.name;
}

function personSay(key, params, bad) {
  $('person-result').className = 'result' + (bad ? ' error' : ' ok');
  $('person-result').textContent = t(key, params);
}

/* An API refusal on the person's page, by its code. */
function personRefused(e) {
  if (e.status === 401) throw e;
  const code = (e.body && e.body.code) || '';
  const k = 'people.err.' + code;
  if (code && I18N[getLang()][k] !== undefined) personSay(k, null, true);
  else {
    $('person-result').className = 'result error';
    say('person-result', e);
  }
}

async function personRole(form) {
  const nip = peopleState.open;
  try {
    await api('PUT', '/people/' + encodeURIComponent(nip) + '/role', { role: form.role.value });
  } catch (e) {
    personRefused(e);
    return;
  }
  await personOpen(nip, true);
  await peopleList();
  personSay('people.d_role_done', { role: roleName(form.role.value) });
}

async function personDeactivate() {
  const nip = peopleState.open;
  if (!window.confirm(t('people.d_deactivate_confirm', { name: $('person-erase').dataset.name }))) return;
  try {
    await api('POST', '/people/' + encodeURIComponent(nip) + '/deactivate', {});
  } catch (e) {
    personRefused(e);
    return;
  }
  await personOpen(nip, true);
  await peopleList();
  personSay('people.d_deactivated', null);
}

async function personErase(form) {
  const nip = peopleState.open;
  const name = form.dataset.name;
  try {
    await api('POST', '/people/' + encodeURIComponent(nip) + '/erase', { confirm: form.confirm.value });
  } catch (e) {
    personRefused(e);
    return;
  }
  peopleState.open = '';
  $('person-detail').hidden = true;
  await peopleList();
  $('import-result').replaceChildren(el('p', t('people.d_erased', { name, nip }), 'ok'));
}

/* One import error in the language: by its code when the server gave one. */
function importWhere(w, english) {
  const k = 'people.imp.' + w.code;
  if (!w.code || I18N[getLang()][k] === undefined) return importError(english);
  const why = t(k, { arg: w.arg, name: w.name });
  if (!w.line) return why;
  if (!w.column) return t('people.row_only', { line: w.line, why });
  return t('people.row_error', { line: w.line, col: w.column, name: w.name, why });
}

async function peopleImport(form) {
  const out = $('import-result');
  out.replaceChildren();
  const file = form.file.files[0];
  if (!file) return;
  const text = await file.text();
  const dry = form.dry_run.checked ? '?dry_run=1' : '';
  try {
    const r = (await api('POST', '/people/import' + dry, text, 'text/csv')).data;
    if (r.ok) {
      const n = { rows: fmtNum(r.rows), created: fmtNum(r.created), updated: fmtNum(r.updated) };
      out.appendChild(el('p', t(r.dry_run ? 'people.checked' : 'people.imported', n), 'ok'));
      if (!r.dry_run) await peopleList();
    } else {
      out.appendChild(el('p', t('people.has_errors', { n: fmtNum(r.nerrors) }), 'error'));
      const ul = el('ul', null, 'errors');
      r.errors.forEach((e, i) => ul.appendChild(el('li', importWhere((r.where || [])[i] || {}, e))));
      if (r.nerrors > r.errors.length) ul.appendChild(el('li', t('people.more_errors', { n: fmtNum(r.nerrors - r.errors.length) })));
      out.appendChild(ul);
    }
  } catch (e) {
    out.appendChild(el('p', e instanceof ApiError ? errorText(e) : t('err.network'), 'error'));
  }
}

function peopleWire() {
  const on = (id, fn) => $(id).addEventListener('submit', (ev) => {
    ev.preventDefault();
    fn($(id)).catch(showError);
  });
  on('import', peopleImport);
  on('people-search', (form) => {
    Object.assign(peopleState, {
      q: form.q.value.trim(), unit: form.unit.value.trim(), role: form.role.value, state: form.state.value, offset: 0,
    });
    return peopleList();
  });
  on('person-role', personRole);
  on('person-erase', personErase);
  $('person-deactivate').addEventListener('click', () => personDeactivate().catch(showError));
  $('people-prev').addEventListener('click', () => {
    peopleState.offset = Math.max(0, peopleState.offset - PEOPLE_PAGE);
    peopleList().catch(showError);
  });
  $('people-next').addEventListener('click', () => {
    peopleState.offset += PEOPLE_PAGE;
    peopleList().catch(showError);
  });
}

document.addEventListener('DOMContentLoaded', peopleWire);
