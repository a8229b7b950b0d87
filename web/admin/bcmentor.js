/*
 * bcmentor.js - the HR dashboard's broadcasts and mentoring (issue 13,
 * items 5 and 6): composing a broadcast in both languages with a preview
 * and a time, a page per broadcast (#broadcast/ID: state, delivery counts
 * refreshed every 5 s, cancel), and on the Mentoring view: rejecting a
 * suggested pair or ending a pairing with a reason, mentors' capacity and
 * pause, programme figures per unit. Called by admin.js (its view rows and
 * the compose form); uses its helpers ($, el, h, api, fill, say, t, fmt*).
 * API: docs/api.md, "Broadcasts and mentoring".
 */
'use strict';

/* ---- broadcasts ---------------------------------------------------------- */

/* A segment in words: "all" -> "semua orang", "unit=X" -> "unit X". */
function bcSegment(seg) {
  if (seg === 'all') return t('bcm.seg_all');
  const m = /^(unit|role)=(.*)$/.exec(seg || '');
  return m ? t('bcm.seg_' + m[1], { value: m[1] === 'role' ? roleName(m[2]) : m[2] }) : seg;
}

/* The compose form's body: segment, both texts, the time (or null). */
function bcBody(form) {
  const at = form.at.value ? new Date(form.at.value) : null;
  return {
    to: form.to.value,
    text_id: form.text_id.value,
    text_en: form.text_en.value,
    at: at && !isNaN(at) ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
  };
}

/* Preview: who gets it in which language, and both texts as bubbles. */
async function bcPreview() {
  const form = $('broadcast-new');
  if (!form.reportValidity()) return;
  const b = bcBody(form);
  $('broadcast-result').className = 'result';
  $('broadcast-result').textContent = '';
  try {
    const r = (await api('POST', '/broadcasts/preview', { to: b.to, text_id: b.text_id, text_en: b.text_en })).data;
    $('broadcast-preview-count').textContent = t('bcm.preview_count', {
      n: fmtNum(r.recipients), id: fmtNum(r.by_lang.id), en: fmtNum(r.by_lang.en),
      unlinked: fmtNum(r.unlinked), segment: bcSegment(r.segment),
    });
    $('broadcast-preview-id').textContent = r.texts.id;
    $('broadcast-preview-en').textContent = r.texts.en;
    $('broadcast-preview').hidden = false;
  } catch (e) {
    if (e.status === 401) throw e;
    $('broadcast-preview').hidden = true;
    $('broadcast-result').className = 'result error';
    say('broadcast-result', e);
  }
}

/* Send (or schedule): then open the broadcast's page. */
async function bcCompose(form) {
  $('broadcast-result').className = 'result';
  let r;
  try {
    r = (await api('POST', '/broadcasts', bcBody(form))).data;
  } catch (e) {
    if (e.status === 401) throw e;
    $('broadcast-result').className = 'result error';
    say('broadcast-result', e);
    return;
  }
  const later = !!form.at.value;
  form.text_id.value = '';
  form.text_en.value = '';
  form.at.value = '';
  $('broadcast-preview').hidden = true;
  $('broadcast-result').textContent = later
    ? t('bcm.scheduled', { id: r.id, when: fmtWhen(r.due), n: fmtNum(r.recipients) })
    : t('bcm.queued', { id: r.id, n: fmtNum(r.recipients) });
  location.hash = '#broadcast/' + r.id;
}

/* A link to a broadcast's page, for the list. */
function bcLink(b) {
  return h('a', { href: '#broadcast/' + b.id }, '#' + b.id + ' ' + t('bcm.open'));
}

let bcTimer = 0;
let bcOpen = 0;

/* The broadcast id of the fragment (#broadcast/ID), or 0. */
function bcIdOfHash() {
  const m = /^#broadcast\/(\d{1,15})$/.exec(location.hash);
  return m ? Number(m[1]) : 0;
}

/* The page of one broadcast; refreshes itself while it is not finished. */
async function broadcastPage() {
  clearTimeout(bcTimer);
  const id = bcIdOfHash();
  bcOpen = id;
  $('page-title').textContent = t('bcm.title', { id });
  document.title = t('bcm.title', { id }) + ' \u00b7 ' + t('app.title');
  if (!id) return;
  const d = (await api('GET', '/broadcasts/' + id + '/detail')).data;
  if (bcOpen !== id || bcIdOfHash() !== id) return; /* left meanwhile */
  $('bc-state').textContent = t('bcm.state.' + d.state);
  $('bc-state').className = 'bcm-badge ' + d.state;
  /* "dikirim" only once its time has come: before that it is scheduled
   * (also when it was cancelled before its time) */
  const later = d.state === 'scheduled' || (d.state === 'cancelled' && Date.parse(d.due) > Date.now());
  $('bc-meta').textContent = t('bcm.meta', {
    segment: bcSegment(d.segment), created: fmtWhen(d.created_at), actor: d.actor_name || d.actor,
    due: t(later ? 'bcm.due_scheduled' : 'bcm.due_sent', { when: fmtWhen(d.due) }),
  });
  const counts = [['recipients', d.recipients], ['queued', d.counts.queued], ['sent', d.counts.sent],
    ['failed', d.counts.failed], ['blocked', d.counts.blocked]];
  if (d.state === 'cancelled') counts.push(['dropped', d.dropped]);
  $('bc-counts').replaceChildren(...counts.map(([k, v]) =>
    h('div', { class: 'card-stat', 'data-count': k }, h('span', { class: 'value' }, fmtNum(v)),
      h('span', { class: 'label' }, t('bcm.count.' + k)))));
  $('bc-text-id').textContent = d.texts.id;
  $('bc-text-en').textContent = d.texts.en;
  $('bc-cancel').hidden = !(d.state === 'scheduled' || d.state === 'sending');
  $('bc-refresh-hint').hidden = $('bc-cancel').hidden;
  $('nav').querySelector('a[href="#broadcasts"]').setAttribute('aria-current', 'page');
  if (d.state === 'scheduled' || d.state === 'sending') {
    bcTimer = setTimeout(() => {
      if (bcIdOfHash() === id && !$('view-broadcast').hidden) broadcastPage().catch(showError);
    }, 5000);
  }
}

async function bcCancel() {
  const id = bcIdOfHash();
  if (!id || !window.confirm(t('bcm.cancel_confirm', { id }))) return;
  $('bc-result').className = 'result';
  try {
    const d = (await api('POST', '/broadcasts/' + id + '/cancel', {})).data;
    $('bc-result').textContent = t('bcm.cancelled', { n: fmtNum(d.dropped) });
  } catch (e) {
    if (e.status === 401) throw e;
    $('bc-result').className = 'result error';
    say('bc-result', e);
  }
  await broadcastPage();
}

/* ---- mentoring ----------------------------------------------------------- */

/* A button that rejects a suggested pair, asking for HR's reason. */
function rejectButton(s) {
  const b = el('button', t('bcm.reject'), 'small secondary');
  b.type = 'button';
  b.addEventListener('click', async () => {
    const reason = window.prompt(t('bcm.reject_reason', { mentor: s.mentor.name, mentee: s.mentee.name }));
    if (!reason || !reason.trim()) return;
    b.disabled = true;
    try {
      await api('POST', '/mentoring/suggestions/' + encodeURIComponent(s.mentee.nip) + '/reject', { reason: reason.trim() });
      $('pair-result').textContent = t('bcm.rejected', { mentor: s.mentor.name, mentee: s.mentee.name });
      await mentoring();
    } catch (e) {
      b.disabled = false;
      if (e.status === 401) throw e;
      say('pair-result', e);
    }
  });
  return b;
}

let pairEnding = null;

/* A button that opens the end form for a pairing. */
function endButton(p) {
  const b = el('button', t('bcm.end'), 'small secondary');
  b.type = 'button';
  b.addEventListener('click', () => {
    pairEnding = p;
    const form = $('pair-end');
    form.reset();
    $('pair-end-title').textContent = t('bcm.end_title', { mentor: p.mentor.name, mentee: p.mentee.name });
    $('pair-end-result').textContent = '';
    form.hidden = false;
    form.reason.focus();
  });
  return b;
}

async function pairEnd(form) {
  const p = pairEnding;
  if (!p) return;
  $('pair-end-result').className = 'result';
  try {
    await api('POST', '/mentoring/pairs/' + p.id + '/end', { reason: form.reason.value.trim(), share: form.share.checked });
  } catch (e) {
    if (e.status === 401) throw e;
    $('pair-end-result').className = 'result error';
    say('pair-end-result', e);
    return;
  }
  form.hidden = true;
  pairEnding = null;
  $('pair-result').textContent = '';
  await mentoring();
  $('pair-end-result').textContent = t('bcm.ended', { mentor: p.mentor.name, mentee: p.mentee.name });
}

/* The mentors (capacity, pause) and the programme figures. */
async function mentoringMore() {
  const [ms, fig] = await Promise.all([api('GET', '/mentoring/mentors'), api('GET', '/mentoring/figures')]);
  fill('mentors-table', (ms.data.mentors || []).map((m) => {
    const cap = h('input', { type: 'number', min: '0', max: '20', step: '1', class: 'bcm-cap', value: String(m.capacity),
      'aria-label': t('bcm.capacity') + ' ' + m.name });
    const paused = h('input', { type: 'checkbox', 'aria-label': t('bcm.paused') + ' ' + m.name });
    paused.checked = !!m.paused;
    const save = el('button', t('bcm.save'), 'small');
    save.type = 'button';
    save.addEventListener('click', async () => {
      $('mentor-result').className = 'result';
      try {
        const r = (await api('PUT', '/mentoring/mentors/' + encodeURIComponent(m.nip),
          { capacity: Number(cap.value), paused: paused.checked })).data;
        $('mentor-result').textContent = t('bcm.saved', { name: m.name, cap: fmtNum(r.capacity), paused: r.paused ? t('bcm.saved_paused') : '' });
      } catch (e) {
        if (e.status === 401) throw e;
        $('mentor-result').className = 'result error';
        say('mentor-result', e);
      }
    });
    return [m.name, m.unit, fmtNum(m.active), cap, paused, save];
  }), t('bcm.no_mentors'));
  const f = fig.data;
  const unit = (u) => (u === '(other units)' ? t('bcm.other_units') : u);
  const line = (u, name) => [name || unit(u.unit), fmtNum(u.mentees), fmtNum(u.pairs), fmtNum(u.active), fmtNum(u.ended),
    fmtNum(u.sessions), fmtNum(u.jp, 1), fmtNum(u.ratings), u.rating_mean === null ? t('common.hidden') : fmtNum(u.rating_mean, 1)];
  const rows = (f.units || []).map((u) => line(u));
  if (rows.length) rows.push(line(f.total, t('bcm.total')));
  fill('figures-table', rows, t('bcm.no_figures'));
}

/* Wire the forms and buttons of this file (once, from admin.js's wire()). */
function bcmWire() {
  $('broadcast-preview-btn').addEventListener('click', () => bcPreview().catch(showError));
  $('bc-cancel').addEventListener('click', () => bcCancel().catch(showError));
  $('pair-end').addEventListener('submit', (ev) => {
    ev.preventDefault();
    pairEnd($('pair-end')).catch(showError);
  });
  $('pair-end-cancel').addEventListener('click', () => {
    $('pair-end').hidden = true;
    pairEnding = null;
  });
}
