/*
 * i18n.js - the HR dashboard's one dictionary (Bahasa Indonesia and
 * English) and its formatting of dates and numbers. Loaded before admin.js,
 * which is its only caller, and by the browser test (tests/e2e/browser.mjs)
 * that checks both languages have the same keys and that no English shows
 * in Indonesian mode.
 *
 *   t('key', {name: value})   the text in the current language, {name} filled
 *   applyI18n(root)            fill every [data-i18n] (textContent),
 *                              [data-i18n-placeholder], [data-i18n-label]
 *                              (aria-label) under root
 *   fmtDay(iso)                "Senin, 7 Desember 2026" / "Monday 7 December 2026"
 *   fmtWhen(iso)               a date and time, short
 *   fmtNum(x, digits)          "3,33" / "3.33"
 *   fmtPct(fraction)           "40%" (0.4)
 *
 * Indonesian is the default; the choice is the person's (stored by the
 * server, PUT /api/v1/session/lang) and also kept in localStorage for the
 * sign-in page and for the operator, who has no person record.
 * Error texts from the API are worded here by HTTP status and the error's
 * "code" (docs/api.md, "Languages"), never shown in English in Indonesian.
 */
'use strict';

const I18N = {
  id: {
    'app.title': 'SDM bimbing',
    'app.brand': 'SDM',
    'lang.switch': 'Bahasa',
    'nav.overview': 'Ringkasan',
    'nav.alerts': 'Peringatan',
    'nav.surveys': 'Survei',
    'nav.broadcasts': 'Siaran',
    'nav.mentoring': 'Mentoring',
    'nav.people': 'Pegawai',
    'nav.conversations': 'Percakapan',
    'nav.label': 'Menu dasbor',
    'shell.signout': 'Keluar',
    'shell.who': '{name} ({role})',
    'role.hr': 'SDM',
    'role.admin': 'admin',
    'role.counsellor': 'konselor',
    'role.employee': 'pegawai',
    'role.mentor': 'mentor',
    'role.operator': 'operator',
    'signin.title': 'Dasbor SDM',
    'signin.intro': 'Staf SDM: masuk dulu di ',
    'signin.webchat_link': 'obrolan web',
    'signin.intro_end': ' pada peramban ini, lalu:',
    'signin.webchat': 'Lanjutkan dengan akun obrolan web saya',
    'signin.or': 'atau, untuk operator',
    'signin.token': 'Token admin',
    'signin.submit': 'Masuk',
    'common.empty': 'Belum ada data.',
    'common.hidden': 'disembunyikan',
    'common.dash': '–',
    'common.send': 'Kirim',
    'common.open': 'Buka',
    'overview.people': 'Pegawai',
    'overview.active': 'Percakapan berjalan',
    'overview.checkins': 'Check-in minggu ini',
    'overview.checkins_value': '{count} dari {people} orang',
    'overview.fewer_than': 'kurang dari {k} orang',
    'overview.mood': 'Suasana hati per minggu',
    'overview.mood_hint': 'rata-rata 1–5; minggu dengan kurang dari {k} orang disembunyikan',
    'overview.mood_chart': 'Grafik suasana hati per minggu',
    'overview.week': 'Minggu (Senin)',
    'overview.people_col': 'Orang',
    'overview.checkins_col': 'Check-in',
    'overview.mood_avg': 'Rata-rata suasana hati',
    'overview.hidden_week': 'kurang dari {k} (disembunyikan)',
    'overview.reach': 'Pegawai terhubung per kanal',
    'overview.channel': 'Kanal',
    'overview.reach_empty': 'Belum ada yang menghubungkan obrolan.',
    'overview.messages': 'Pesan, 7 hari terakhir',
    'overview.total': 'Jumlah',
    'overview.queued': 'Antre',
    'overview.sent': 'Terkirim',
    'overview.delivered': 'Diterima',
    'overview.read': 'Dibaca',
    'overview.failed': 'Gagal',
    'overview.blocked': 'Diblokir',
    'overview.messages_empty': 'Belum ada pesan.',
    'channel.telegram': 'Telegram',
    'channel.whatsapp': 'WhatsApp',
    'channel.web': 'Obrolan web',
    'channel.console': 'Konsol',
    'people.import': 'Impor pegawai (CSV)',
    'people.columns': 'Kolom: ',
    'people.optional': ', opsional ',
    'people.atomic': '. Berkas dengan satu baris salah pun tidak mengubah apa-apa.',
    'people.file': 'Berkas CSV',
    'people.dry_run': 'periksa saja',
    'people.upload': 'Unggah',
    'people.list': 'Pegawai',
    'people.total': '({n})',
    'people.search_hint': 'NIP, nama, atau unit',
    'people.search': 'Cari',
    'people.nip': 'NIP',
    'people.name': 'Nama',
    'people.unit': 'Unit',
    'people.role': 'Peran',
    'people.language': 'Bahasa',
    'people.channels': 'Kanal',
    'people.empty': 'Tidak ada pegawai yang cocok.',
    'people.checked': 'Diperiksa: {rows} baris, {created} baru, {updated} diperbarui. Tidak ada yang diubah.',
    'people.imported': 'Diimpor: {rows} baris, {created} baru, {updated} diperbarui.',
    'people.has_errors': 'Berkas berisi kesalahan; tidak ada yang diubah ({n} masalah).',
    'people.row_error': 'baris {line}, kolom {col} ({name}): {why}',
    'lang.id': 'Indonesia',
    'lang.en': 'Inggris',
    'surveys.off': 'Survei belum tersedia di versi ini (API menjawab 501).',
    'surveys.title': 'Survei',
    'surveys.survey': 'Survei',
    'surveys.sent': 'Dikirim',
    'surveys.responses': 'Jawaban',
    'surveys.rate': 'Tingkat jawaban',
    'surveys.results': 'Hasil',
    'surveys.empty': 'Belum ada survei yang dikirim.',
    'surveys.hidden': 'Kurang dari {k} jawaban: hasil disembunyikan.',
    'surveys.summary': '{responses} jawaban dari {invited} undangan ({rate})',
    'surveys.enps': '; eNPS {score}',
    'surveys.csv': 'Unduh CSV',
    'surveys.no_answers': 'Disembunyikan atau belum ada jawaban.',
    'surveys.no_comments': 'Belum ada komentar.',
    'surveys.left_out': '; {n} jawaban tidak dihitung di angka mana pun (unitnya memiliki kurang dari {k} jawaban)',
    'surveys.answers': 'Jawaban',
    'surveys.send_title': 'Kirim survei',
    'surveys.id': 'ID survei',
    'surveys.to': 'Kepada',
    'surveys.to_hint': 'all, unit=NAMA, role=PERAN',
    'surveys.sent_to': 'Terkirim ke {n} orang.',
    'broadcasts.off': 'Siaran belum tersedia di versi ini (API menjawab 501).',
    'broadcasts.new': 'Pengumuman baru',
    'broadcasts.to': 'Kepada',
    'broadcasts.text': 'Teks',
    'broadcasts.list': 'Siaran dan pengirimannya',
    'broadcasts.when': 'Waktu',
    'broadcasts.recipients': 'Penerima',
    'broadcasts.empty': 'Belum ada siaran.',
    'broadcasts.queued': 'Masuk antrean untuk {n} orang.',
    'mentoring.off': 'Pasangan mentoring belum tersedia di versi ini (API menjawab 501).',
    'mentoring.suggested': 'Saran pasangan',
    'mentoring.mentor': 'Mentor',
    'mentoring.mentee': 'Mentee',
    'mentoring.score': 'Skor',
    'mentoring.why': 'Alasan',
    'mentoring.approve': 'Setujui',
    'mentoring.approved': 'Disetujui: {mentor} menjadi mentor bagi {mentee}.',
    'mentoring.none': 'Tidak ada saran.',
    'mentoring.active': 'Pasangan aktif',
    'mentoring.since': 'Sejak',
    'mentoring.sessions': 'Sesi',
    'mentoring.no_pairs': 'Belum ada pasangan aktif.',
    'alerts.title': 'Peringatan kesejahteraan dan tekanan',
    'alerts.hint': 'dikirim dengan persetujuan orangnya; terbuka sampai ada yang menindaklanjuti. Tidak pernah berisi jawaban atau tulisan mereka.',
    'alerts.when': 'Waktu',
    'alerts.kind': 'Jenis',
    'alerts.person': 'Pegawai',
    'alerts.told': 'Diberi tahu lewat obrolan',
    'alerts.state': 'Status',
    'alerts.ack': 'Sudah ditindaklanjuti',
    'alerts.acked': 'Ditandai sudah ditindaklanjuti: {name}.',
    'alerts.empty': 'Tidak ada peringatan.',
    'alerts.open': 'terbuka',
    'alerts.followed': 'ditindaklanjuti {when} oleh {by}',
    'alerts.kind.wellbeing': 'kesejahteraan',
    'alerts.kind.distress': 'tekanan',
    'alerts.told.mentor': 'mentornya',
    'alerts.told.hr': 'SDM',
    'alerts.told.fallback': 'daftar cadangan',
    'alerts.told.nobody': 'tidak ada yang dapat dihubungi',
    'conv.title': 'Percakapan',
    'conv.hint': 'pegawai yang minta bicara dengan seseorang; yang menunggu jawaban di atas',
    'conv.person': 'Pegawai',
    'conv.unit': 'Unit',
    'conv.opened': 'Dibuka',
    'conv.why': 'Sebab',
    'conv.messages': 'Pesan',
    'conv.status': 'Status',
    'conv.empty': 'Saat ini tidak ada yang menunggu.',
    'conv.waiting': 'menunggu jawaban',
    'conv.answered': 'sudah dijawab',
    'conv.reason.command': 'meminta (/bicara)',
    'conv.reason.distress': 'setelah nomor bantuan',
    'conv.reason.wellbeing': 'setelah WHO-5 rendah',
    'conv.detail_hint': 'Hanya konselor dan admin yang melihat ini. Setiap baca, jawab, dan tutup tercatat di log audit (tanpa teksnya). Pegawai melihat nama depan Anda bersama jawaban Anda.',
    'conv.closed_suffix': ' — ditutup',
    'conv.counsellor': 'Konselor',
    'conv.no_messages': 'Belum ada pesan.',
    'conv.answer': 'Jawaban',
    'conv.close': 'Tutup percakapan',
    'conv.sent': 'Terkirim. Jawaban sampai ke obrolan pegawai seperti pesan lainnya.',
    'conv.closed': 'Ditutup. Pegawai sudah diberi tahu bahwa konselor telah pergi dan bot kembali.',
    'err.401': 'Anda belum masuk, atau sesi sudah berakhir. Silakan masuk lagi.',
    'err.403': 'Peran Anda tidak diizinkan melakukan ini.',
    'err.404': 'Tidak ditemukan.',
    'err.409': 'Tidak dapat dilakukan: keadaannya sudah berubah. Muat ulang halaman ini.',
    'err.413': 'Berkas terlalu besar.',
    'err.429': 'Terlalu banyak percobaan masuk dari alamat ini; coba lagi nanti.',
    'err.400': 'Isian tidak valid; periksa kembali.',
    'err.500': 'Terjadi kesalahan di server; lihat log layanan.',
    'err.501': 'Belum tersedia di versi ini.',
    'err.network': 'Server tidak dapat dihubungi.',
    'err.signin.token': 'Token salah, atau masuk dengan token tidak diaktifkan.',
    'err.signin.webchat': 'Masuk dulu di obrolan web pada peramban ini.',
    'err.signin.role': 'Peran Anda tidak dapat memakai dasbor SDM (hanya SDM, admin, dan konselor).',
    'err.segment.syntax': 'Segmen "{value}" tidak dikenal. Tulis all, unit=NAMA, atau role=PERAN.',
    'err.segment.unit': 'Unit "{value}" tidak ada di data pegawai.',
    'err.segment.role': 'Peran "{value}" tidak ada.',
    'err.segment.empty': 'Tidak ada seorang pun di segmen {value}. Tidak ada yang dikirim.',
    'err.segment.suggest': ' Maksud Anda "{suggestion}"?',
    'err.segment.known': ' Yang ada: {known}.',
    'err.segment.none_sent': ' Tidak ada yang dikirim.',
    'err.text': 'Teks wajib diisi (paling banyak 4096 bita).',
    'err.survey.unknown': 'Survei "{id}" tidak ada.',

    'bcm.text_id': 'Teks dalam Bahasa Indonesia',
    'bcm.text_en': 'Teks dalam bahasa Inggris (untuk pegawai yang memilih bahasa Inggris)',
    'bcm.at': 'Jadwal kirim (kosong: sekarang)',
    'bcm.at_hint': 'Waktu menurut peramban ini. Siaran dikirim tepat pada waktu itu, tidak menunggu jam kerja; pilih waktu di jam kerja.',
    'bcm.preview': 'Pratinjau',
    'bcm.preview_title': 'Seperti yang dilihat penerima di obrolan',
    'bcm.preview_count': 'Akan dikirim ke {n} orang ({segment}): {id} dalam Bahasa Indonesia, {en} dalam bahasa Inggris. {unlinked} orang lagi belum terhubung dengan bot dan tidak menerimanya.',
    'bcm.as_id': 'Bahasa Indonesia',
    'bcm.as_en': 'Bahasa Inggris',
    'bcm.queued': 'Siaran #{id} masuk antrean untuk {n} orang.',
    'bcm.scheduled': 'Siaran #{id} dijadwalkan {when} untuk {n} orang.',
    'bcm.open': 'Lihat',
    'bcm.back': '← Semua siaran',
    'bcm.title': 'Siaran #{id}',
    'bcm.meta': 'untuk {segment} · dibuat {created} oleh {actor} · dikirim {due}',
    'bcm.state.scheduled': 'terjadwal',
    'bcm.state.sending': 'sedang dikirim',
    'bcm.state.done': 'selesai',
    'bcm.state.cancelled': 'dibatalkan',
    'bcm.count.recipients': 'Penerima',
    'bcm.count.queued': 'Dalam antrean',
    'bcm.count.sent': 'Terkirim',
    'bcm.count.failed': 'Gagal',
    'bcm.count.blocked': 'Memblokir bot',
    'bcm.count.dropped': 'Dibatalkan',
    'bcm.refresh_hint': 'Angka diperbarui sendiri setiap 5 detik selama siaran belum selesai.',
    'bcm.cancel': 'Batalkan siaran',
    'bcm.cancel_confirm': 'Batalkan siaran #{id}? Pesan yang belum terkirim tidak akan dikirim.',
    'bcm.cancelled': 'Dibatalkan: {n} pesan tidak jadi dikirim.',
    'bcm.reject': 'Tolak',
    'bcm.reject_reason': 'Alasan menolak pasangan {mentor} – {mentee} (hanya untuk SDM):',
    'bcm.rejected': 'Ditolak: {mentor} tidak akan disarankan lagi untuk {mentee}.',
    'bcm.end': 'Akhiri',
    'bcm.end_title': 'Akhiri mentoring {mentor} – {mentee}',
    'bcm.reason': 'Alasan',
    'bcm.share': 'Sampaikan alasan ini kepada keduanya',
    'bcm.end_hint': 'Keduanya diberi tahu bahwa SDM mengakhiri mentoring ini, dalam bahasa masing-masing. Tanpa centang, alasannya hanya tersimpan untuk SDM.',
    'bcm.end_confirm': 'Akhiri mentoring',
    'bcm.back_out': 'Tidak jadi',
    'bcm.ended': 'Diakhiri: {mentor} – {mentee}. Keduanya sudah diberi tahu.',
    'bcm.mentors': 'Mentor',
    'bcm.mentors_hint': 'Kapasitas: berapa mentee sekaligus (0–20). Mentor yang dijeda tidak disarankan untuk mentee baru; pasangan yang berjalan tetap.',
    'bcm.unit': 'Unit',
    'bcm.active': 'Aktif',
    'bcm.capacity': 'Kapasitas',
    'bcm.paused': 'Dijeda',
    'bcm.save': 'Simpan',
    'bcm.saved': 'Tersimpan: {name}, kapasitas {cap}{paused}.',
    'bcm.saved_paused': ', dijeda',
    'bcm.no_mentors': 'Belum ada pegawai berperan mentor.',
    'bcm.figures': 'Angka program per unit',
    'bcm.figures_hint': 'Menurut unit mentee. Unit dengan kurang dari {k} mentee digabung menjadi "unit lainnya"; rata-rata penilaian hanya tampil dari {k} penilaian.',
    'bcm.mentees': 'Mentee',
    'bcm.pairs': 'Pasangan',
    'bcm.ended_col': 'Berakhir',
    'bcm.jp': 'JP',
    'bcm.ratings': 'Penilaian',
    'bcm.rating_mean': 'Rata-rata (1–5)',
    'bcm.other_units': 'unit lainnya',
    'bcm.total': 'Jumlah',
    'bcm.no_figures': 'Belum ada pasangan mentoring.',
    'bcm.seg_all': 'semua orang',
    'bcm.seg_unit': 'unit {value}',
    'bcm.seg_role': 'peran {value}',
  },
  en: {
    'app.title': 'bimbing HR',
    'app.brand': 'HR',
    'lang.switch': 'Language',
    'nav.overview': 'Overview',
    'nav.alerts': 'Alerts',
    'nav.surveys': 'Surveys',
    'nav.broadcasts': 'Broadcasts',
    'nav.mentoring': 'Mentoring',
    'nav.people': 'People',
    'nav.conversations': 'Conversations',
    'nav.label': 'Dashboard menu',
    'shell.signout': 'Sign out',
    'shell.who': '{name} ({role})',
    'role.hr': 'hr',
    'role.admin': 'admin',
    'role.counsellor': 'counsellor',
    'role.employee': 'employee',
    'role.mentor': 'mentor',
    'role.operator': 'operator',
    'signin.title': 'HR dashboard',
    'signin.intro': 'HR staff: sign in on the ',
    'signin.webchat_link': 'web chat',
    'signin.intro_end': ' in this browser first, then:',
    'signin.webchat': 'Continue with my web chat sign-in',
    'signin.or': 'or, for operators',
    'signin.token': 'Admin token',
    'signin.submit': 'Sign in',
    'common.empty': 'Nothing yet.',
    'common.hidden': 'hidden',
    'common.dash': '–',
    'common.send': 'Send',
    'common.open': 'Open',
    'overview.people': 'People',
    'overview.active': 'Conversations in progress',
    'overview.checkins': 'Check-ins this week',
    'overview.checkins_value': '{count} from {people} people',
    'overview.fewer_than': 'fewer than {k} people',
    'overview.mood': 'Mood by week',
    'overview.mood_hint': 'average 1–5; weeks with fewer than {k} people are hidden',
    'overview.mood_chart': 'Chart of the mood by week',
    'overview.week': 'Week (Monday)',
    'overview.people_col': 'People',
    'overview.checkins_col': 'Check-ins',
    'overview.mood_avg': 'Average mood',
    'overview.hidden_week': 'fewer than {k} (hidden)',
    'overview.reach': 'People reached per channel',
    'overview.channel': 'Channel',
    'overview.reach_empty': 'Nobody has linked a chat yet.',
    'overview.messages': 'Messages, last 7 days',
    'overview.total': 'Total',
    'overview.queued': 'Queued',
    'overview.sent': 'Sent',
    'overview.delivered': 'Delivered',
    'overview.read': 'Read',
    'overview.failed': 'Failed',
    'overview.blocked': 'Blocked',
    'overview.messages_empty': 'No messages.',
    'channel.telegram': 'Telegram',
    'channel.whatsapp': 'WhatsApp',
    'channel.web': 'Web chat',
    'channel.console': 'Console',
    'people.import': 'Import people (CSV)',
    'people.columns': 'Columns: ',
    'people.optional': ', optional ',
    'people.atomic': '. A file with any bad row changes nothing.',
    'people.file': 'CSV file',
    'people.dry_run': 'check only',
    'people.upload': 'Upload',
    'people.list': 'People',
    'people.total': '({n})',
    'people.search_hint': 'NIP, name or unit',
    'people.search': 'Search',
    'people.nip': 'NIP',
    'people.name': 'Name',
    'people.unit': 'Unit',
    'people.role': 'Role',
    'people.language': 'Language',
    'people.channels': 'Channels',
    'people.empty': 'No people match.',
    'people.checked': 'Checked: {rows} rows, {created} new, {updated} updated. Nothing was changed.',
    'people.imported': 'Imported: {rows} rows, {created} new, {updated} updated.',
    'people.has_errors': 'The file has errors; nothing was changed ({n} problems).',
    'people.row_error': 'line {line}, column {col} ({name}): {why}',
    'lang.id': 'Indonesian',
    'lang.en': 'English',
    'surveys.off': 'Surveys are not available in this build yet (the API answers 501).',
    'surveys.title': 'Surveys',
    'surveys.survey': 'Survey',
    'surveys.sent': 'Sent',
    'surveys.responses': 'Responses',
    'surveys.rate': 'Response rate',
    'surveys.results': 'Results',
    'surveys.empty': 'No surveys sent yet.',
    'surveys.hidden': 'Fewer than {k} answers: results are hidden.',
    'surveys.summary': '{responses} responses of {invited} invited ({rate})',
    'surveys.enps': '; eNPS {score}',
    'surveys.csv': 'Download CSV',
    'surveys.no_answers': 'Hidden or no answers.',
    'surveys.no_comments': 'No comments.',
    'surveys.left_out': '; {n} answer(s) left out of every figure (their units had fewer than {k} answers)',
    'surveys.answers': 'Answers',
    'surveys.send_title': 'Send a survey',
    'surveys.id': 'Survey id',
    'surveys.to': 'To',
    'surveys.to_hint': 'all, unit=NAME, role=ROLE',
    'surveys.sent_to': 'Sent to {n} people.',
    'broadcasts.off': 'Broadcasts are not available in this build yet (the API answers 501).',
    'broadcasts.new': 'New announcement',
    'broadcasts.to': 'To',
    'broadcasts.text': 'Text',
    'broadcasts.list': 'Broadcasts and their delivery',
    'broadcasts.when': 'When',
    'broadcasts.recipients': 'Recipients',
    'broadcasts.empty': 'No broadcasts yet.',
    'broadcasts.queued': 'Queued for {n} people.',
    'mentoring.off': 'Mentoring pairs are not available in this build yet (the API answers 501).',
    'mentoring.suggested': 'Suggested pairs',
    'mentoring.mentor': 'Mentor',
    'mentoring.mentee': 'Mentee',
    'mentoring.score': 'Score',
    'mentoring.why': 'Why',
    'mentoring.approve': 'Approve',
    'mentoring.approved': 'Approved: {mentor} mentors {mentee}.',
    'mentoring.none': 'No suggestions.',
    'mentoring.active': 'Active pairs',
    'mentoring.since': 'Since',
    'mentoring.sessions': 'Sessions',
    'mentoring.no_pairs': 'No active pairs.',
    'alerts.title': 'Wellbeing and distress alerts',
    'alerts.hint': "sent with the person's consent; open until someone has followed up. Never the answers or what they wrote.",
    'alerts.when': 'When',
    'alerts.kind': 'Kind',
    'alerts.person': 'Person',
    'alerts.told': 'Told in chat',
    'alerts.state': 'State',
    'alerts.ack': 'Followed up',
    'alerts.acked': 'Marked as followed up: {name}.',
    'alerts.empty': 'No alerts.',
    'alerts.open': 'open',
    'alerts.followed': 'followed up {when} by {by}',
    'alerts.kind.wellbeing': 'wellbeing',
    'alerts.kind.distress': 'distress',
    'alerts.told.mentor': 'their mentor',
    'alerts.told.hr': 'HR',
    'alerts.told.fallback': 'the fallback list',
    'alerts.told.nobody': 'nobody could be reached',
    'conv.title': 'Conversations',
    'conv.hint': 'people who asked to talk to a person; waiting for an answer first',
    'conv.person': 'Person',
    'conv.unit': 'Unit',
    'conv.opened': 'Opened',
    'conv.why': 'Why',
    'conv.messages': 'Messages',
    'conv.status': 'Status',
    'conv.empty': 'Nobody is waiting for a person right now.',
    'conv.waiting': 'waiting for an answer',
    'conv.answered': 'answered',
    'conv.reason.command': 'asked (/bicara)',
    'conv.reason.distress': 'after the help lines',
    'conv.reason.wellbeing': 'after a low WHO-5',
    'conv.detail_hint': 'Only counsellors and admins see this. Every read, answer and close is in the audit log (without the text). The person sees your first name with your answer.',
    'conv.closed_suffix': ' — closed',
    'conv.counsellor': 'Counsellor',
    'conv.no_messages': 'No messages yet.',
    'conv.answer': 'Answer',
    'conv.close': 'Close the conversation',
    'conv.sent': "Sent. It goes to the person's chat like any other message.",
    'conv.closed': 'Closed. The person was told that the counsellor has left and the bot is back.',
    'err.401': 'You are not signed in, or the session has ended. Please sign in again.',
    'err.403': 'Your role may not do this.',
    'err.404': 'Not found.',
    'err.409': 'This cannot be done: things have changed. Reload the page.',
    'err.413': 'The file is too large.',
    'err.429': 'Too many sign-in attempts from this address; try again later.',
    'err.400': 'Something in the form is not valid; please check it.',
    'err.500': 'Something went wrong on the server; see the service log.',
    'err.501': 'Not available in this build yet.',
    'err.network': 'The server cannot be reached.',
    'err.signin.token': 'Wrong token, or signing in with a token is off.',
    'err.signin.webchat': 'Sign in on the web chat in this browser first.',
    'err.signin.role': 'Your role cannot use the HR dashboard (only HR, admins and counsellors).',
    'err.segment.syntax': 'Segment "{value}" is not known. Write all, unit=NAME or role=ROLE.',
    'err.segment.unit': 'There is no unit "{value}" in the staff data.',
    'err.segment.role': 'There is no role "{value}".',
    'err.segment.empty': 'Nobody is in the segment {value}. Nothing was sent.',
    'err.segment.suggest': ' Did you mean "{suggestion}"?',
    'err.segment.known': ' Known: {known}.',
    'err.segment.none_sent': ' Nothing was sent.',
    'err.text': 'The text is required (at most 4096 bytes).',
    'err.survey.unknown': 'There is no survey "{id}".',

    'bcm.text_id': 'Text in Indonesian',
    'bcm.text_en': 'Text in English (for staff who chose English)',
    'bcm.at': 'Send at (empty: now)',
    'bcm.at_hint': "The time is this browser's. A broadcast goes at exactly that time, not waiting for working hours; pick a time within working hours.",
    'bcm.preview': 'Preview',
    'bcm.preview_title': 'As the recipients see it in the chat',
    'bcm.preview_count': 'Goes to {n} people ({segment}): {id} in Indonesian, {en} in English. {unlinked} more have not linked a chat and will not get it.',
    'bcm.as_id': 'Indonesian',
    'bcm.as_en': 'English',
    'bcm.queued': 'Broadcast #{id} is queued for {n} people.',
    'bcm.scheduled': 'Broadcast #{id} is scheduled for {when}, to {n} people.',
    'bcm.open': 'Open',
    'bcm.back': '← All broadcasts',
    'bcm.title': 'Broadcast #{id}',
    'bcm.meta': 'to {segment} · made {created} by {actor} · sent {due}',
    'bcm.state.scheduled': 'scheduled',
    'bcm.state.sending': 'sending',
    'bcm.state.done': 'done',
    'bcm.state.cancelled': 'cancelled',
    'bcm.count.recipients': 'Recipients',
    'bcm.count.queued': 'Queued',
    'bcm.count.sent': 'Sent',
    'bcm.count.failed': 'Failed',
    'bcm.count.blocked': 'Blocked the bot',
    'bcm.count.dropped': 'Cancelled',
    'bcm.refresh_hint': 'The figures refresh every 5 seconds until the broadcast is done.',
    'bcm.cancel': 'Cancel the broadcast',
    'bcm.cancel_confirm': 'Cancel broadcast #{id}? Messages not sent yet will not be sent.',
    'bcm.cancelled': 'Cancelled: {n} messages will not be sent.',
    'bcm.reject': 'Reject',
    'bcm.reject_reason': 'Why reject the pair {mentor} – {mentee} (for HR only):',
    'bcm.rejected': 'Rejected: {mentor} will not be suggested again for {mentee}.',
    'bcm.end': 'End',
    'bcm.end_title': 'End the mentoring {mentor} – {mentee}',
    'bcm.reason': 'Reason',
    'bcm.share': 'Tell both of them this reason',
    'bcm.end_hint': 'Both are told, each in their language, that HR ended this mentoring. Unticked, the reason stays with HR.',
    'bcm.end_confirm': 'End the mentoring',
    'bcm.back_out': 'Keep it',
    'bcm.ended': 'Ended: {mentor} – {mentee}. Both have been told.',
    'bcm.mentors': 'Mentors',
    'bcm.mentors_hint': 'Capacity: how many mentees at once (0–20). A paused mentor is not suggested for new mentees; running pairs go on.',
    'bcm.unit': 'Unit',
    'bcm.active': 'Active',
    'bcm.capacity': 'Capacity',
    'bcm.paused': 'Paused',
    'bcm.save': 'Save',
    'bcm.saved': 'Saved: {name}, capacity {cap}{paused}.',
    'bcm.saved_paused': ', paused',
    'bcm.no_mentors': 'Nobody has the role mentor yet.',
    'bcm.figures': 'Programme figures by unit',
    'bcm.figures_hint': 'By the mentee\'s unit. Units with fewer than {k} mentees are folded into "other units"; the mean rating shows only from {k} ratings.',
    'bcm.mentees': 'Mentees',
    'bcm.pairs': 'Pairs',
    'bcm.ended_col': 'Ended',
    'bcm.jp': 'JP',
    'bcm.ratings': 'Ratings',
    'bcm.rating_mean': 'Mean (1–5)',
    'bcm.other_units': 'other units',
    'bcm.total': 'Total',
    'bcm.no_figures': 'No mentoring pairs yet.',
    'bcm.seg_all': 'everyone',
    'bcm.seg_unit': 'unit {value}',
    'bcm.seg_role': 'role {value}',
  },
};

/* The reasons of the people import's row errors (bot/domain/people/people.c),
   in Indonesian; a reason not listed here is shown as the server wrote it. */
const IMPORT_REASONS_ID = {
  'unit is empty': 'unit kosong',
  'name is empty': 'nama kosong',
  'too long': 'terlalu panjang',
  'contains a NUL byte': 'berisi bita NUL',
  'not valid UTF-8': 'bukan UTF-8 yang sah',
  'contains a control character': 'berisi karakter kendali',
  'time zone must be an IANA name such as Asia/Jakarta, or WIB, WITA, WIT':
    'zona waktu harus nama IANA seperti Asia/Jakarta, atau WIB, WITA, WIT',
  'phone must be 8 to 15 digits with the country code (62...) or start with 0':
    'nomor telepon harus 8 sampai 15 angka dengan kode negara (62...) atau diawali 0',
  'only an admin may take the admin role from a person': 'hanya admin yang boleh mencabut peran admin',
  'NIP must be 1 to 18 digits': 'NIP harus 1 sampai 18 angka',
  'role must be employee, mentor, hr, admin or counsellor': 'peran harus employee, mentor, hr, admin, atau counsellor',
  'language must be id or en': 'bahasa harus id atau en',
  'not an e-mail address': 'bukan alamat e-mail',
  'supervisor NIP must be 1 to 18 digits': 'NIP atasan harus 1 sampai 18 angka',
  'a person cannot be their own supervisor': 'seseorang tidak dapat menjadi atasannya sendiri',
  'only an admin may give the admin role': 'hanya admin yang boleh memberi peran admin',
};

const LANGS = ['id', 'en'];
const LOCALES = { id: 'id-ID', en: 'en-GB' };
let lang = 'id';

function t(key, params) {
  let s = I18N[lang][key];
  if (s === undefined) {
    /* a missing key is a defect: the browser test fails on it */
    console.error('i18n: missing key ' + key + ' (' + lang + ')');
    s = I18N.id[key] !== undefined ? I18N.id[key] : key;
  }
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined ? m : String(params[k])));
  return s;
}

/* Fill the marked elements under root with the current language. */
function applyI18n(root) {
  const r = root || document;
  const params = window.i18nParams || {};
  for (const e of r.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n, params);
  for (const e of r.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = t(e.dataset.i18nPlaceholder, params);
  for (const e of r.querySelectorAll('[data-i18n-label]')) e.setAttribute('aria-label', t(e.dataset.i18nLabel, params));
  document.documentElement.lang = lang;
}

function getLang() {
  return lang;
}

/* Set the language (id or en) for what is drawn from now on. */
function setLangOnly(l) {
  lang = LANGS.includes(l) ? l : 'id';
  try {
    localStorage.setItem('bimbing.admin.lang', lang);
  } catch (e) {
    /* private mode: the server still keeps a person's choice */
  }
}

/* The language this browser chose before (the sign-in page, the operator). */
function storedLang() {
  try {
    const l = localStorage.getItem('bimbing.admin.lang');
    return LANGS.includes(l) ? l : 'id';
  } catch (e) {
    return 'id';
  }
}

function fmtDay(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Asia/Jakarta', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
  }).format(new Date(iso));
}

/* A week's Monday, short: "16 Nov 2026". */
function fmtShortDay(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', year: 'numeric',
  }).format(new Date(iso));
}

function fmtWhen(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso));
}

function fmtNum(x, digits) {
  if (typeof x !== 'number') return t('common.dash');
  const d = digits || 0;
  return new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: d, maximumFractionDigits: d }).format(x);
}

function fmtPct(x) {
  if (typeof x !== 'number') return t('common.dash');
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 0 }).format(x);
}

/* A person's role or a channel, in words. */
function roleName(r) {
  return I18N[lang]['role.' + r] !== undefined ? t('role.' + r) : r;
}
function channelName(c) {
  return I18N[lang]['channel.' + c] !== undefined ? t('channel.' + c) : c;
}

/* An import row error "line L, column C (name): reason" in the language. */
function importError(s) {
  const m = /^line (\d+), column (\d+) \(([^)]*)\): (.*)$/.exec(s);
  if (!m) return lang === 'id' ? IMPORT_REASONS_ID[s] || s : s;
  const why = lang === 'id' ? IMPORT_REASONS_ID[m[4]] || m[4] : m[4];
  return t('people.row_error', { line: m[1], col: m[2], name: m[3], why });
}

/* The words for an API error (admin.js's ApiError: status, message, body)
   in the language; ctx names a special case ('signin.token',
   'signin.webchat'). English mode shows the server's own message where it
   has one. */
function errorText(e, ctx) {
  const body = e.body || {};
  const code = body.code || '';
  if (code.startsWith('segment.')) {
    let s = t('err.' + code, { value: body.value || '' });
    if (body.suggestion) s += t('err.segment.suggest', { suggestion: body.suggestion });
    if (code === 'segment.unit' || code === 'segment.role') {
      if (body.known && body.known.length) s += t('err.segment.known', { known: body.known.join(', ') });
      s += t('err.segment.none_sent');
    }
    return s;
  }
  if (ctx === 'signin.token' && (e.status === 401 || e.status === 403)) return t('err.signin.token');
  if (ctx === 'signin.webchat' && e.status === 401) return t('err.signin.webchat');
  if (ctx === 'signin.webchat' && e.status === 403) return t('err.signin.role');
  if (!e.status) return t('err.network');
  if (lang === 'en' && e.message && e.status !== 500) return e.message;
  const k = 'err.' + e.status;
  return I18N[lang][k] !== undefined ? t(k) : t('err.400');
}

/* One reason of the mentor matcher (bot/domain/mentoring/match.c,
   pair_describe: "fit: a, b", "same unit", "2 grades senior", ...) in the
   language; the tags themselves are HR's own words and stay as they are. */
function matchReason(r) {
  if (lang !== 'id') return r;
  const s = r.trim();
  const fixed = {
    'no tag fit': 'tidak ada kecocokan minat',
    'other unit': 'unit lain',
    'same unit': 'unit yang sama',
    'same grade': 'golongan yang sama',
    'grade unknown': 'golongan tidak diketahui',
    'same language': 'bahasa yang sama',
  };
  if (fixed[s]) return fixed[s];
  let m = /^fit: (.*)$/.exec(s);
  if (m) return 'cocok: ' + m[1];
  m = /^(-?\d+) grades? senior( \(wide gap\))?$/.exec(s);
  if (m) return 'lebih senior ' + m[1] + ' golongan' + (m[2] ? ' (selisih besar)' : '');
  return s;
}
