/*
 * app.js - the bimbing web chat client. No framework, no external assets.
 * Protocol: docs/webchat.md. Sign-in with an invite code sets an HttpOnly
 * session cookie; the chat runs over the websocket /ws. The transcript, the
 * watermark and messages typed while offline are kept in localStorage, so a
 * reload or a lost connection loses nothing: queued messages are sent again
 * on reconnect (the server drops repeats by their id) and missed replies are
 * replayed from the watermark.
 */
'use strict';

(function () {
  var T = {
    id: {
      intro: 'Masukkan kode undangan dari bagian SDM untuk mulai.',
      code: 'Kode undangan',
      signin: 'Masuk',
      signout: 'Keluar',
      send: 'Kirim',
      placeholder: 'Tulis pesan…',
      other: 'English',
      online: 'terhubung',
      offline: 'offline, pesan akan dikirim nanti',
      connecting: 'menghubungkan…',
      badCode: 'Kode undangan terdiri dari 10 huruf dan angka.',
      neterr: 'Tidak bisa terhubung. Coba lagi.',
      failed: 'tidak terkirim',
      queued: 'menunggu koneksi'
    },
    en: {
      intro: 'Enter the invite code from HR to begin.',
      code: 'Invite code',
      signin: 'Sign in',
      signout: 'Sign out',
      send: 'Send',
      placeholder: 'Type a message…',
      other: 'Bahasa Indonesia',
      online: 'connected',
      offline: 'offline, messages will be sent later',
      connecting: 'connecting…',
      badCode: 'An invite code has 10 letters and digits.',
      neterr: 'Could not connect. Please try again.',
      failed: 'not sent',
      queued: 'waiting for a connection'
    }
  };
  var K = { lang: 'bb.lang', signed: 'bb.signedIn', wm: 'bb.wm', queue: 'bb.queue', log: 'bb.log' };
  var LOG_MAX = 300;
  var QUEUE_MAX = 50;

  function $(id) { return document.getElementById(id); }
  function load(key, dflt) {
    try {
      var v = localStorage.getItem(key);
      return v === null ? dflt : JSON.parse(v);
    } catch (e) { return dflt; }
  }
  function save(key, v) {
    try { localStorage.setItem(key, JSON.stringify(v)); } catch (e) { /* full or disabled */ }
  }

  var lang = load(K.lang, null) ||
    ((navigator.language || '').toLowerCase().indexOf('id') === 0 ? 'id' : 'en');
  var ws = null;
  var backoff = 0;
  var retryTimer = null;
  var typingTimer = null;
  var stopped = true;
  var wm = load(K.wm, '0');
  var queue = load(K.queue, []);
  var transcript = load(K.log, []);
  var seen = {};
  var bubbles = {}; /* client id -> element, for acks */

  function t(k) { return T[lang][k]; }

  function applyLang() {
    document.documentElement.lang = lang;
    $('lang').textContent = t('other');
    $('signout').textContent = t('signout');
    $('signin-intro').textContent = t('intro');
    $('code-label').textContent = t('code');
    $('signin-btn').textContent = t('signin');
    $('send').textContent = t('send');
    $('text').placeholder = t('placeholder');
    setStatus(ws && ws.readyState === 1 ? 'online' : (stopped ? '' : 'offline'));
  }

  function setStatus(k) { $('status').textContent = k ? t(k) : ''; }

  function randomId() {
    var b = new Uint8Array(8);
    crypto.getRandomValues(b);
    var s = 'm';
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return s;
  }

  /* ---- the transcript ---- */

  function scroll() { var l = $('log'); l.scrollTop = l.scrollHeight; }

  function remember(entry) {
    transcript.push(entry);
    if (transcript.length > LOG_MAX) transcript.splice(0, transcript.length - LOG_MAX);
    save(K.log, transcript);
  }

  function disableButtons(li, chosenValue) {
    var bs = li.querySelectorAll('.actions button');
    for (var i = 0; i < bs.length; i++) {
      bs[i].disabled = true;
      if (chosenValue && bs[i].dataset.value === chosenValue) bs[i].classList.add('chosen');
    }
  }

  function renderBot(a, fromStore) {
    var li = document.createElement('li');
    li.className = 'msg bot';
    li.dataset.id = a.id;
    if (a.channelData && a.channelData.q) li.dataset.q = a.channelData.q;
    var b = document.createElement('div');
    b.className = 'bubble';
    b.textContent = a.text || '';
    li.appendChild(b);
    // A document: a one-time link (the server hands the bytes out once, for an hour).
    (a.attachments || []).forEach(function (att) {
      if (!att.contentUrl || att.contentUrl.indexOf('/api/v1/webchat/file/') !== 0) return;
      var link = document.createElement('a');
      link.className = 'file';
      link.href = att.contentUrl;
      link.download = att.name || 'file';
      link.textContent = '\uD83D\uDCCE ' + (att.name || 'file') + ' (' + Math.ceil((att.size || 0) / 1024) + ' KB)';
      li.appendChild(link);
    });
    var acts = a.suggestedActions && a.suggestedActions.actions;
    if (acts && acts.length) {
      var row = document.createElement('div');
      row.className = 'actions';
      acts.forEach(function (act) {
        var btn = document.createElement('button');
        btn.type = 'button';
        btn.textContent = act.title;
        btn.dataset.value = act.value;
        btn.addEventListener('click', function () {
          disableButtons(li, act.value);
          markAnswered(a.id, act.value);
          sendMessage({ value: String(act.value) }, act.title);
        });
        row.appendChild(btn);
      });
      li.appendChild(row);
      if (a.answered) disableButtons(li, a.answered === true ? null : a.answered);
    }
    $('log').appendChild(li);
    if (!fromStore) remember({ kind: 'bot', a: a });
  }

  function markAnswered(activityId, value) {
    for (var i = transcript.length - 1; i >= 0; i--) {
      var e = transcript[i];
      if (e.kind === 'bot' && e.a.id === activityId) { e.a.answered = value || true; break; }
    }
    save(K.log, transcript);
  }

  function renderMe(id, label, state, fromStore) {
    var li = document.createElement('li');
    li.className = 'msg me' + (state ? ' ' + state : '');
    var b = document.createElement('div');
    b.className = 'bubble';
    b.textContent = label;
    li.appendChild(b);
    var note = document.createElement('span');
    note.className = 'note';
    li.appendChild(note);
    if (state === 'pending') note.textContent = t('queued');
    $('log').appendChild(li);
    bubbles[id] = li;
    if (!fromStore) remember({ kind: 'me', id: id, label: label });
  }

  function settle(id, errorText) {
    var li = bubbles[id];
    if (!li) return;
    li.classList.remove('pending');
    li.querySelector('.note').textContent = errorText ? t('failed') + ': ' + errorText : '';
    if (errorText) li.classList.add('failed');
  }

  function onActivity(a) {
    if (!a || !a.id || seen[a.id]) return;
    seen[a.id] = true;
    if (a.type === 'event') {
      /* "answered": the question's buttons are done; "stale": an old button */
      var q = a.value;
      var lis = $('log').querySelectorAll('li.bot');
      for (var i = 0; i < lis.length; i++) {
        if (lis[i].dataset.q === q) {
          disableButtons(lis[i], null);
          markAnswered(lis[i].dataset.id, null);
        }
      }
      if (a.name === 'stale' && a.text) renderBot({ id: a.id, text: a.text });
      return;
    }
    renderBot(a, false);
  }

  /* ---- the connection ---- */

  function send(obj) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(obj)); return true; }
    return false;
  }

  function sendMessage(body, label) {
    var m = { type: 'message', id: randomId() };
    if (body.text !== undefined) m.text = body.text; else m.value = body.value;
    if (queue.length >= QUEUE_MAX) queue.shift();
    queue.push(m);
    save(K.queue, queue);
    renderMe(m.id, label, 'pending', false);
    scroll();
    send(m);
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    $('typing').hidden = !on;
    if (on) {
      typingTimer = setTimeout(function () { $('typing').hidden = true; }, 10000);
      scroll();
    }
  }

  function onFrame(ev) {
    var f;
    try { f = JSON.parse(ev.data); } catch (e) { return; }
    if (f.activities) {
      showTyping(false);
      f.activities.forEach(onActivity);
      if (f.watermark && Number(f.watermark) > Number(wm)) { wm = f.watermark; save(K.wm, wm); }
      scroll();
    } else if (f.type === 'ack' || (f.type === 'error' && f.id)) {
      queue = queue.filter(function (m) { return m.id !== f.id; });
      save(K.queue, queue);
      settle(f.id, f.type === 'error' ? f.error : null);
    } else if (f.type === 'typing') {
      showTyping(true);
    } else if (f.type === 'error' && f.error === 'not signed in') {
      signedOut();
    }
  }

  function connect() {
    clearTimeout(retryTimer);
    if (stopped || (ws && ws.readyState <= 1)) return;
    setStatus('connecting');
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    ws.onopen = function () {
      backoff = 0;
      setStatus('online');
      send({ type: 'resume', watermark: String(wm) });
      queue.forEach(function (m) { send(m); });
    };
    ws.onmessage = onFrame;
    ws.onclose = function () {
      ws = null;
      showTyping(false);
      if (stopped) return;
      setStatus('offline');
      var delay = Math.min(30000, 1000 * Math.pow(2, backoff)) * (0.5 + Math.random() / 2);
      backoff = Math.min(backoff + 1, 5);
      retryTimer = setTimeout(connect, delay);
    };
  }

  /* ---- screens ---- */

  function startChat() {
    $('signin').hidden = true;
    $('chat').hidden = false;
    $('signout').hidden = false;
    stopped = false;
    connect();
    $('text').focus();
  }

  function clearLocal() {
    [K.signed, K.wm, K.queue, K.log].forEach(function (k) {
      try { localStorage.removeItem(k); } catch (e) { /* ignore */ }
    });
    wm = '0'; queue = []; transcript = []; seen = {}; bubbles = {};
    $('log').textContent = '';
  }

  function signedOut() {
    stopped = true;
    clearTimeout(retryTimer);
    if (ws) ws.close();
    clearLocal();
    $('chat').hidden = true;
    $('signout').hidden = true;
    $('signin').hidden = false;
    setStatus('');
    /* an invite link (HR's sheet, QR code): ?code=CODE fills the field */
    var linked = new URLSearchParams(location.search).get('code');
    if (linked && !$('code').value && /^[A-Za-z0-9 -]{10,14}$/.test(linked)) $('code').value = linked;
    $('code').focus();
  }

  function onSignin(e) {
    e.preventDefault();
    var code = $('code').value.replace(/[\s-]/g, '').toUpperCase();
    var err = $('signin-error');
    err.textContent = '';
    if (!/^[A-Z0-9]{10}$/.test(code)) { err.textContent = t('badCode'); return; }
    $('signin-btn').disabled = true;
    fetch('/api/v1/webchat/signin', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: code }),
      credentials: 'same-origin'
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        $('signin-btn').disabled = false;
        if (r.status === 202) {
          clearLocal();
          save(K.signed, true);
          $('code').value = '';
          startChat();
        } else {
          err.textContent = body.error || t('neterr');
        }
      });
    }).catch(function () {
      $('signin-btn').disabled = false;
      err.textContent = t('neterr');
    });
  }

  function onSend(e) {
    e.preventDefault();
    var box = $('text');
    var text = box.value.trim();
    if (!text) return;
    box.value = '';
    sendMessage({ text: text }, text);
  }

  document.addEventListener('DOMContentLoaded', function () {
    applyLang();
    $('lang').addEventListener('click', function () {
      lang = lang === 'id' ? 'en' : 'id';
      save(K.lang, lang);
      applyLang();
    });
    $('signin-form').addEventListener('submit', onSignin);
    $('composer').addEventListener('submit', onSend);
    $('text').addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); onSend(e); }
    });
    $('signout').addEventListener('click', function () {
      fetch('/api/v1/webchat/signout', { method: 'POST', credentials: 'same-origin' })
        .finally(signedOut);
    });
    window.addEventListener('online', function () { backoff = 0; connect(); });

    if (load(K.signed, false)) {
      transcript.forEach(function (e) {
        if (e.kind === 'bot') { seen[e.a.id] = true; renderBot(e.a, true); }
        else {
          var pending = queue.some(function (m) { return m.id === e.id; });
          renderMe(e.id, e.label, pending ? 'pending' : '', true);
        }
      });
      scroll();
      startChat();
    } else {
      signedOut();
    }
  });
})();
