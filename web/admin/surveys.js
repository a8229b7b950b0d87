/*
 * surveys.js - surveys over time on the dashboard's Surveys view
 * (web/admin/index.html, #survey-trend and #survey-schedule-panel): a
 * survey's waves (scheduled, open, closed) with "close now", a CSV per wave
 * and each wave's comments; the trend across waves (an eNPS chart, and a
 * chart and a table per question), the trend's CSV; its recurring series
 * with "stop"; the form that schedules a wave or a series. All from the API
 * (docs/api.md, "Surveys over time"). Called by admin.js (surveyDetail
 * draws the trend of the survey it opens; surveys() shows the form); uses
 * its helpers (api, el, row, fill, chart, say) and i18n.js (t, fmtNum,
 * fmtWhen, ...). Text from the server goes in with textContent only.
 */
'use strict';

let surveyTrendOpen = ''; /* the survey whose trend is drawn, '': none */

function waveStatus(w) {
  if (w.closed) return t('swaves.closed');
  return w.started ? t('swaves.open') : t('swaves.scheduled');
}

function waveLabel(w) {
  return t('swaves.wave_n', { n: fmtNum(w.wave) }) + ' · ' + fmtShortDay(w.start_at);
}

/* "0: 1 · 5: 2" in the flow's labels where it has them. */
function spread(q, counts) {
  const parts = [];
  for (const [v, n] of Object.entries(counts || {})) {
    const l = q.labels && q.labels[v] ? (getLang() === 'id' ? q.labels[v].id : q.labels[v].en) || v : v;
    parts.push(l + ': ' + fmtNum(n));
  }
  return parts.join(' · ');
}

async function surveyTrend(id) {
  const r = (await api('GET', '/surveys/' + encodeURIComponent(id) + '/trend')).data;
  surveyTrendOpen = id;
  $('survey-trend').hidden = false;
  $('survey-trend-csv').href = API + '/surveys/' + encodeURIComponent(id) + '/trend/csv';
  $('survey-wave-comments').hidden = true;
  const waves = r.waves || [];
  fill('survey-waves-table', waves.map((w) => {
    const acts = el('span', null, 'row');
    const csv = el('a', t('swaves.csv'), 'button small');
    csv.href = API + '/survey-waves/' + encodeURIComponent(w.wave) + '/csv';
    csv.setAttribute('download', '');
    acts.appendChild(csv);
    if (!w.hidden) {
      const c = el('button', t('swaves.comments'), 'small secondary');
      c.type = 'button';
      c.addEventListener('click', () => waveComments(w.wave).catch(showError));
      acts.appendChild(c);
    }
    if (!w.closed) {
      const b = el('button', t('swaves.close_now'), 'small');
      b.type = 'button';
      b.dataset.wave = String(w.wave);
      b.addEventListener('click', () => closeWave(w.wave).catch(showError));
      acts.appendChild(b);
    }
    return [fmtNum(w.wave), w.segment, fmtWhen(w.start_at), w.remind_at ? fmtWhen(w.remind_at) : t('common.dash'),
      fmtWhen(w.close_at), waveStatus(w),
      !w.started ? t('common.dash') : w.hidden ? t('common.hidden') : fmtNum(w.responses), /* scheduled: none yet */
      w.hidden || w.enps === null || w.enps === undefined ? t('common.dash') : fmtNum(w.enps, Number.isInteger(w.enps) ? 0 : 1),
      acts];
  }), t('surveys.empty'));

  const labels = waves.map(waveLabel);
  const enps = waves.map((w) => (w.hidden || typeof w.enps !== 'number' ? null : w.enps));
  $('survey-enps-trend').hidden = !enps.some((x) => x !== null);
  if (!$('survey-enps-trend').hidden) {
    chart('survey-enps-chart', {
      type: 'line',
      data: { labels, datasets: [{ label: 'eNPS', data: enps, borderColor: '#0b6e4f', backgroundColor: '#0b6e4f', spanGaps: false }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { suggestedMin: -100, suggestedMax: 100 } } },
    });
  }

  const box = $('survey-trend-questions');
  for (const c of box.querySelectorAll('canvas')) {
    const old = window.Chart && window.Chart.getChart(c);
    if (old) old.destroy();
  }
  box.replaceChildren();
  (r.questions || []).forEach((q, i) => {
    const part = el('div', null, 'question');
    part.appendChild(el('h3', (getLang() === 'id' && q.text_id) || q.text || q.id));
    const pts = q.waves || [];
    const tbl = el('table', null, 'data');
    const head = document.createElement('thead');
    const text = q.type === 'text';
    const hr = document.createElement('tr');
    for (const h of text ? [t('swaves.wave'), t('swaves.comment_count')]
      : [t('swaves.wave'), t('swaves.n'), t('swaves.mean'), t('swaves.spread')]) hr.appendChild(el('th', h));
    head.appendChild(hr);
    tbl.appendChild(head);
    const tb = document.createElement('tbody');
    waves.forEach((w, j) => {
      const p = pts[j];
      const none = waves[j].started ? t('common.hidden') : t('common.dash'); /* scheduled: no answers yet */
      if (!p) tb.appendChild(row(text ? [labels[j], none] : [labels[j], none, t('common.dash'), '']));
      else if (text) tb.appendChild(row([labels[j], fmtNum(p.n)]));
      else tb.appendChild(row([labels[j], fmtNum(p.n), fmtNum(p.mean, 2), spread(q, p.counts)]));
    });
    tbl.appendChild(tb);
    if (!text) {
      const wrap = el('div', null, 'chart small');
      const c = document.createElement('canvas');
      c.id = 'trend-q-chart-' + i;
      c.setAttribute('role', 'img');
      c.setAttribute('aria-label', (getLang() === 'id' && q.text_id) || q.text || q.id);
      wrap.appendChild(c);
      part.appendChild(wrap);
      box.appendChild(part);
      part.appendChild(tbl);
      chart(c.id, {
        type: 'line',
        data: { labels, datasets: [{ label: t('swaves.mean'), data: pts.map((p) => (p ? p.mean : null)), borderColor: '#3a8d6f', backgroundColor: '#3a8d6f' }] },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
      });
      return;
    }
    part.appendChild(tbl);
    box.appendChild(part);
  });

  fill('survey-series-table', (r.series || []).map((s) => {
    let stop = '';
    if (s.running) {
      stop = el('button', t('swaves.stop'), 'small secondary');
      stop.type = 'button';
      stop.addEventListener('click', () => stopSeries(s.id).catch(showError));
    }
    return [fmtNum(s.id), s.segment, t('swaves.every_n', { n: fmtNum(s.every_weeks) }),
      s.running ? fmtWhen(s.next_at) : t('common.dash'),
      s.running ? t('swaves.running') : t('swaves.stopped') + ' ' + fmtWhen(s.stopped_at), stop];
  }), t('swaves.no_series'));
}

/* A wave's comments (free-text answers, sorted by the server), shown when
   the wave itself may be shown. */
async function waveComments(wave) {
  const r = (await api('GET', '/survey-waves/' + encodeURIComponent(wave))).data;
  const body = $('survey-wave-comments-body');
  body.replaceChildren();
  $('survey-wave-comments-title').textContent = t('swaves.comments_of', { n: fmtNum(wave) });
  $('survey-wave-comments').hidden = false;
  if (r.hidden) {
    body.appendChild(el('p', t('surveys.hidden', { k: r.anonymity_k })));
    return;
  }
  for (const q of (r.questions || []).filter((x) => x.type === 'text')) {
    body.appendChild(el('h3', (getLang() === 'id' && q.text_id) || q.text || q.id));
    const list = q.comments || [];
    if (!list.length) body.appendChild(el('p', t('surveys.no_comments')));
    const ul = document.createElement('ul');
    ul.className = 'comments';
    for (const c of list) ul.appendChild(el('li', c));
    if (list.length) body.appendChild(ul);
  }
}

async function closeWave(wave) {
  if (!window.confirm(t('swaves.confirm_close', { n: fmtNum(wave) }))) return;
  $('survey-wave-result').className = 'result';
  try {
    await api('POST', '/survey-waves/' + encodeURIComponent(wave) + '/close');
    $('survey-wave-result').textContent = t('swaves.closed_now', { n: fmtNum(wave) });
  } catch (e) {
    if (e.status === 401) throw e;
    $('survey-wave-result').className = 'result error';
    say('survey-wave-result', e);
    return;
  }
  await surveys();
  if (surveyTrendOpen) await surveyDetail(surveyTrendOpen);
}

async function stopSeries(id) {
  $('survey-wave-result').className = 'result';
  try {
    await api('POST', '/survey-series/' + encodeURIComponent(id) + '/stop');
    $('survey-wave-result').textContent = t('swaves.stopped_now', { n: fmtNum(id) });
  } catch (e) {
    if (e.status === 401) throw e;
    $('survey-wave-result').className = 'result error';
    say('survey-wave-result', e);
    return;
  }
  if (surveyTrendOpen) await surveyTrend(surveyTrendOpen);
}

/* datetime-local in WIB (the dashboard's zone) -> ISO UTC. */
function wibIso(v) {
  if (!v) return null;
  const d = new Date(v + ':00+07:00');
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function scheduleWave(form) {
  const out = $('survey-schedule-result');
  out.className = 'result';
  const body = { to: form.to.value, start_at: wibIso(form.start.value), close_at: wibIso(form.close.value) };
  if (!body.start_at || !body.close_at) {
    out.className = 'result error';
    out.textContent = t('swaves.bad_time');
    return;
  }
  body.remind_at = form.remind.value ? wibIso(form.remind.value) : false;
  if (form.every.value) body.every_weeks = Number(form.every.value);
  let r;
  try {
    r = (await api('POST', '/surveys/' + encodeURIComponent(form.id.value) + '/schedule', body)).data;
  } catch (e) {
    if (e.status === 401) throw e;
    out.className = 'result error';
    if (e.status === 404) out.textContent = t('err.survey.unknown', { id: form.id.value });
    else say('survey-schedule-result', e);
    return;
  }
  let s = t('swaves.scheduled_to', { wave: fmtNum(r.wave), n: fmtNum(r.recipients), start: fmtWhen(r.start_at), close: fmtWhen(r.close_at) });
  if (r.series) s += t('swaves.series_made', { series: fmtNum(r.series), every: fmtNum(body.every_weeks) });
  out.textContent = s;
  await surveys();
  await surveyDetail(form.id.value);
}

/* The form, once: shown with the Surveys view (admin.js, surveys()). */
function surveyScheduleShow() {
  $('survey-schedule-panel').hidden = false;
}

document.addEventListener('DOMContentLoaded', () => {
  const form = $('survey-schedule');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    scheduleWave(form).catch(showError);
  });
});
