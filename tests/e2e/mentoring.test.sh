#!/usr/bin/env bash
# tests/e2e/mentoring.test.sh - the mentor programme end to end with the real
# CLI and chats: import the demo people, onboard two mentees (one shares
# check-ins with a mentor, one does not), `pair suggest` (the pairs, scores
# and reasons worked out by hand in docs/mentoring.md), `pair apply` with
# introductions to both sides (and later to those who write for the first
# time), `pair list`, check-ins with a help request and the mentor summary,
# /mentee, /sesi logging and minutes, ending in chat and by HR, a new
# suggestion that never repeats an ended pair, the nudge after 3 weeks
# without a session (once per period), and bad input that changes nothing.
# The conversations are transcripts in tests/e2e/mentoring/ played on this
# test's database in order. Prints "N passed, N failed".
#
# RECORD=1 plays the transcripts with --print instead of checking them (to
# write them: read every reply before keeping it).
. "$(dirname "$0")/lib.sh"
TOOL=$BUILD/tools/transcript
e2e_init "$BIN" "$TOOL"
e2e_need_cmd jq
T0=2026-11-02T09:00:00Z
DB=$TMP/m.db
# The shipped flows without schedule triggers: this test moves the clock
# over weeks, and scheduled check-ins (bot/domain/sched/sched.c, tested on their own)
# would interleave with the conversations it plays.
flows_unscheduled "$TMP/flows"
export BIMBING_FLOWS=$TMP/flows
E2E_FLOWS=$TMP/flows # for run
# say NIP TIME line...: one chat session; the reply texts, one per line, in $TMP/said
say() {
    local nip=$1 at=$2; shift 2
    printf '%s\n' "$@" | timeout 30 "$BIN" --db "$DB" --flows "$TMP/flows" chat --as "$nip" --jsonl --now "$at" \
        2>>"$TMP/chat.err" | jq -r '.replies[].text' >"$TMP/said"
}
# inbox NIP TIME: what is waiting for the person (their chat, nothing typed)
inbox() { say "$1" "$2" '{"sync":true}'; }
# tick_inbox TIME NIP: the service's tick at TIME (...:00Z), then the person's
# inbox one second later
tick_inbox() {
    run tick --at "$1"
    inbox "$2" "${1%00Z}01Z"
}
# said_nothing NAME: a check that the last chat session got no reply
said_nothing() { check "$1" equals "$(wc -c <"$TMP/said")" 0; }
play() { # a transcript of tests/e2e/mentoring on this database
    local f=tests/e2e/mentoring/$1
    if [ "${RECORD:-}" = 1 ]; then
        "$TOOL" --bin "$BIN" --db "$DB" --print "$f"
        return 0
    fi
    "$TOOL" --bin "$BIN" --db "$DB" "$f" >"$TMP/tr.out" 2>&1 || { sed 's/^/     /' "$TMP/tr.out"; return 1; }
}

# ---- people, onboarding (Ayu shares with her mentor, Budi does not) ----------
run people import config/demo-people.csv
check "import" equals "$rc" 0
say $AYU 2026-11-01T08:00:00Z /mulai 1 1 1 1
check "Ayu onboarded" file_has "$TMP/said" "Terima kasih, Ibu Ayu!"
say $BUDI 2026-11-01T08:00:00Z /mulai 2 1 2 1
check "Budi onboarded" file_has "$TMP/said" "Thank you, Budi!"
# The mentors, Wayan and Fajar went through onboarding too (yes to their data;
# Fajar logs a session in 8-confirm.en.txt).
consent_for "$DB" $ANDI $MADE $YOHANA $WAYAN $FAJAR
for n in $ANDI $MADE; do inbox $n 2026-11-01T08:00:00Z; done

# ---- bad input changes nothing ------------------------------------------------------
run pair apply
check "apply before any suggestion: refused" [ "$rc" -ne 0 ]
check "apply before any suggestion: says so" file_has "$TMP/err" "no suggestion yet"
run pair suggest --bogus
check "suggest with an unknown option: usage error" equals "$rc" 2
run pair end $AYU
check "end without a reason: usage error" equals "$rc" 2
run pair end 123 --reason x
check "end of an unknown NIP: refused" [ "$rc" -ne 0 ]
run pair mentor $AYU --capacity 3
check "mentor profile for a non-mentor: refused" file_has "$TMP/err" "not mentor"
run pair mentor $ANDI --capacity 99
check "capacity out of range: usage error" equals "$rc" 2
run pair frobnicate
check "unknown subcommand: usage error" equals "$rc" 2
run pair mentor $ANDI
check "mentor profile: defaults" file_has "$TMP/out" "Andi Wijaya ($ANDI): active, capacity 2, 0 active mentee(s)"

# ---- suggest: the pairs worked out by hand (docs/mentoring.md) ----------------------
run pair suggest --at $T0
check "suggest: exit 0" equals "$rc" 0
cp "$TMP/out" "$TMP/suggest1"
check "suggest: 6 pairs, 1 unmatched" file_has "$TMP/suggest1" "suggestion 1: 6 pair(s) proposed, 1 mentee(s) unmatched"
check "suggest: Ayu -> Andi (coaching)" file_has "$TMP/suggest1" \
    "Ayu Lestari ($AYU, Biro SDM) -> Andi Wijaya ($ANDI, Dinas Kominfo)  score 19: fit: coaching; other unit; 3 grades senior; same language"
check "suggest: Budi -> Made (his supervisor Andi is excluded)" file_has "$TMP/suggest1" \
    "Budi Santoso ($BUDI, Dinas Kominfo) -> Made Sutrisna ($MADE, Bappeda)  score 17: fit: analisis kebijakan; other unit; 3 grades senior"
check "suggest: Rizky -> Yohana" file_has "$TMP/suggest1" \
    "Rizky Pratama ($RIZKY, Dinas Kominfo) -> Yohana Rumbiak ($YOHANA, Inspektorat)  score 19: fit: audit kinerja"
check "suggest: Fajar -> Andi" file_has "$TMP/suggest1" \
    "Fajar Nugroho ($FAJAR, Inspektorat) -> Andi Wijaya ($ANDI, Dinas Kominfo)  score 17: fit: arsitektur sistem"
check "suggest: Putri -> Made (no tag fit, the last free place)" file_has "$TMP/suggest1" \
    "Putri Maharani ($PUTRI, Biro SDM) -> Made Sutrisna ($MADE, Bappeda)  score 7: no tag fit; other unit; 5 grades senior (wide gap); same language"
check "suggest: Wayan -> Yohana" file_has "$TMP/suggest1" \
    "Wayan Darma ($WAYAN, Bappeda) -> Yohana Rumbiak ($YOHANA, Inspektorat)  score 19: fit: manajemen risiko"
check "suggest: Dewi unmatched (Made is her supervisor, the others are full)" file_has "$TMP/suggest1" \
    "Dewi Anggraini ($DEWI, Bappeda): all 2 suitable mentors are at capacity"
check "suggest: HR and admin are never mentees" file_lacks "$TMP/suggest1" "Siti Rahmawati"
run pair suggest --unit "Bappeda" --at $T0
check "suggest --unit: only that unit's mentees" file_has "$TMP/out" "suggestion 2: 2 pair(s) proposed, 0 mentee(s) unmatched"
check "suggest --unit: Wayan" file_has "$TMP/out" "Wayan Darma ($WAYAN, Bappeda) -> Yohana Rumbiak"

# ---- apply: --only a NIP not in the suggestion changes nothing -------------------------
run pair apply 1 --only $AYU 123456 --at $T0
check "apply --only with a stranger: refused" file_has "$TMP/err" "123456 is not a mentee of suggestion 1; nothing was applied"
run pair list
check "nothing was applied" file_has "$TMP/out" "active pairings: 0"
run pair apply 99
check "apply of an unknown suggestion: refused" file_has "$TMP/err" "no suggestion 99"
run pair apply 1 --at $T0
check "apply: 6 pairs started" file_has "$TMP/out" "suggestion 1: 6 pair(s) started, 0 skipped"
check "apply: Ayu and Andi introduced" file_has "$TMP/out" "paired Ayu Lestari ($AYU) -> Andi Wijaya ($ANDI); both introduced"
check "apply: Rizky's introduction waits" file_has "$TMP/out" "introduction waits for Rizky Pratama and Yohana Rumbiak"
run pair apply 2 --at $T0
check "apply of a stale suggestion: the pair is skipped" file_has "$TMP/out" "skipped Wayan Darma -> Yohana Rumbiak: already has a mentor"
run pair list
check "list: 6 active" file_has "$TMP/out" "active pairings: 6"
check "list: since the apply date" file_has "$TMP/out" "Ayu Lestari ($AYU, Biro SDM) -> Andi Wijaya ($ANDI, Dinas Kominfo)  since 2 Nov 2026, 0 session(s), 0 min"
run pair mentor $ANDI
check "mentor profile: 2 active mentees" file_has "$TMP/out" "capacity 2, 2 active mentee(s)"
run export $AYU
check "audit: the apply is in Ayu's processing log" equals "$(jq -r '[.audit[] | select(.action == "pair.apply")] | length' <"$TMP/out")" 1

inbox $AYU 2026-11-02T09:01:00Z
check "Ayu's introduction: mentor, unit and strengths" file_has "$TMP/said" \
    "Kabar baik, Ibu Ayu! Mulai sekarang Anda didampingi mentor Bapak Andi Wijaya (Dinas Kominfo). Keahlian beliau: arsitektur sistem, manajemen proyek, coaching."
inbox $BUDI 2026-11-02T09:01:00Z
check "Budi's introduction (English)" file_has "$TMP/said" \
    "Good news, Budi! From now on your mentor is Made Sutrisna (Bappeda). Strengths: perencanaan pembangunan, analisis kebijakan."
inbox $ANDI 2026-11-02T09:01:00Z
check "Andi's introduction: mentee, unit and goals" file_has "$TMP/said" \
    "Bapak Andi, Anda sekarang mentor bagi Ibu Ayu Lestari (Biro SDM). Tujuan pengembangan beliau: manajemen talenta, coaching."
check "Andi also meets Fajar" file_has "$TMP/said" "Anda sekarang mentor bagi Bapak Fajar Nugroho (Inspektorat)"
inbox $MADE 2026-11-02T09:01:00Z
check "Made's introductions" file_has "$TMP/said" "Anda sekarang mentor bagi Bapak Budi Santoso (Dinas Kominfo)"

# Rizky writes for the first time; the next tick introduces him.
inbox $RIZKY 2026-11-03T08:00:00Z
said_nothing "Rizky: nothing before the tick"
tick_inbox 2026-11-03T08:00:00Z $RIZKY
check "Rizky's introduction after he first wrote" file_has "$TMP/said" "Kabar baik, Bapak Rizky! Mulai sekarang Anda didampingi mentor Ibu Yohana Rumbiak (Inspektorat)."
tick_inbox 2026-11-03T09:00:00Z $RIZKY
said_nothing "the introduction is sent once"

# ---- conversations (transcripts, in order) -----------------------------------------------
check "transcript: Ayu's check-in asks for help; Andi is told; /mentee" play 1-checkin-help.id.txt
check "transcript: Budi does not share; Made hears nothing" play 2-checkin-help.en.txt
check "transcript: Budi logs a session (/session)" play 3-session.en.txt
check "transcript: Andi logs a session with mentee 1 (/sesi)" play 4-session.id.txt
run export $BUDI
check "Budi's export: the session, 90 minutes" equals "$(jq -c '[.mentoring_sessions[] | [.side, .day, .minutes]]' <"$TMP/out")" '[["mentee","2026-11-26",90]]'
check "Budi's check-in was recorded" equals "$(jq '.checkins | length' <"$TMP/out")" 1
run export $ANDI
check "Andi's export: his session as mentor" equals "$(jq -c '[.mentoring_sessions[] | [.side, .minutes, .logged_by_me]]' <"$TMP/out")" '[["mentor",60,1]]'
run pair list
check "list: sessions counted" file_has "$TMP/out" "Ayu Lestari ($AYU, Biro SDM) -> Andi Wijaya ($ANDI, Dinas Kominfo)  since 2 Nov 2026, 1 session(s), 60 min, last 26 Nov 2026"
check "transcript: Ayu confirms the session Andi logged (/sesi)" play 7-confirm.id.txt
check "transcript: Fajar confirms the session Andi logged (/session)" play 8-confirm.en.txt
run export $AYU
check "Ayu's export: one session, Andi's 60 minutes, confirmed by her" \
    equals "$(jq -c '[.mentoring_sessions[] | [.side, .day, .minutes, .logged_by_me, .confirmed_by_me]]' <"$TMP/out")" '[["mentee","2026-11-26",60,0,1]]'
run pair list
check "list: the session both logged counts once" file_has "$TMP/out" "Ayu Lestari ($AYU, Biro SDM) -> Andi Wijaya ($ANDI, Dinas Kominfo)  since 2 Nov 2026, 1 session(s), 60 min, last 26 Nov 2026"
check "list: Fajar's session both logged counts once" file_has "$TMP/out" "1 session(s), 30 min, last 10 Nov 2026"
check "transcript: Budi ends in chat (/endmentoring)" play 5-end.en.txt
check "transcript: Wayan ends in chat (/akhiri)" play 6-end.id.txt
run export $BUDI
check "Budi's end is audited with his NIP and reason" \
    equals "$(jq -r '.audit[] | select(.action == "pair.end") | .actor + ": " + .detail' <"$TMP/out")" \
    "$BUDI: mentee $BUDI, mentor $MADE: Our schedules never match"

# ---- nudges: 3 weeks without a session, once per period -----------------------------------
for n in $YOHANA $AYU $ANDI $MADE $RIZKY; do inbox $n 2026-11-28T12:00:00Z; done
tick_inbox 2026-12-10T09:00:00Z $RIZKY
check "nudge: Rizky (no session since 02/11)" file_has "$TMP/said" \
    "Sudah 3 minggu tidak ada sesi mentoring yang tercatat antara Anda dan Yohana Rumbiak (mentor)."
inbox $YOHANA 2026-12-10T09:00:01Z
check "nudge: Yohana about Rizky" file_has "$TMP/said" "antara Anda dan Rizky Pratama (mentee)"
check "nudge: not about Wayan (ended)" file_lacks "$TMP/said" "Wayan"
inbox $ANDI 2026-12-10T09:00:01Z
check "nudge: Andi about Fajar" file_has "$TMP/said" "antara Anda dan Fajar Nugroho (mentee)"
check "nudge: not about Ayu (met on 26/11)" file_lacks "$TMP/said" "antara Anda dan Ayu"
check "a month after pairing, Andi rates the match with Ayu" file_has "$TMP/said" \
    "Sudah sebulan Anda berpasangan dengan Ayu Lestari. Seberapa cocok pasangan pendampingan ini bagi Anda?"
inbox $AYU 2026-12-10T09:00:01Z
check "nudge: not Ayu" file_lacks "$TMP/said" "Sudah 3 minggu"
check "a month after pairing, Ayu rates the match with Andi" file_has "$TMP/said" \
    "Sudah sebulan Anda berpasangan dengan Andi Wijaya."
tick_inbox 2026-12-11T09:00:00Z $RIZKY
said_nothing "nudge: once per period"
tick_inbox 2026-12-18T09:00:00Z $AYU
check "nudge: Ayu, 3 weeks after her last session" file_has "$TMP/said" "antara Anda dan Andi Wijaya (mentor)"
inbox $RIZKY 2026-12-18T09:00:01Z
said_nothing "nudge: Rizky not again within 3 weeks"
tick_inbox 2026-12-31T09:00:00Z $RIZKY
check "nudge: Rizky again in the next period" file_has "$TMP/said" "Sudah 3 minggu"

# ---- HR ends Ayu's pairing; a new suggestion never repeats it -------------------------------
run pair end $AYU --reason "Pindah tugas" --at 2027-01-04T09:00:00Z
check "end: exit 0" equals "$rc" 0
check "end: confirmed" file_has "$TMP/out" "ended: Ayu Lestari's mentoring (reason: Pindah tugas; kept for HR)"
run pair end $AYU --reason "lagi"
check "end again: no active mentor" file_has "$TMP/err" "has no active mentor"
inbox $AYU 2027-01-04T09:00:01Z
check "end: Ayu is told (by HR)" file_has "$TMP/said" "Mentoring antara Anda dan Bapak Andi Wijaya telah diakhiri oleh bagian SDM."
inbox $ANDI 2027-01-04T09:00:01Z
check "end: Andi is told" file_has "$TMP/said" "Mentoring antara Anda dan Ibu Ayu Lestari telah diakhiri oleh bagian SDM."
run pair list --all
check "list --all: the ended pair with its reason" file_has "$TMP/out" "ended 4 Jan 2027 by cli: Pindah tugas"
check "list: 3 active" file_has "$TMP/out" "active pairings: 3"
run pair suggest --at 2027-01-05T09:00:00Z
cp "$TMP/out" "$TMP/suggest2"
check "suggest again: never Ayu -> Andi" file_lacks "$TMP/suggest2" "Ayu Lestari ($AYU, Biro SDM) -> Andi"
check "suggest again: Ayu -> Made (Budi's place is free)" file_has "$TMP/suggest2" "Ayu Lestari ($AYU, Biro SDM) -> Made Sutrisna"
check "suggest again: Budi never back to Made" file_lacks "$TMP/suggest2" "Budi Santoso ($BUDI, Dinas Kominfo) -> Made"
check "suggest again: Dewi -> Yohana" file_has "$TMP/suggest2" "Dewi Anggraini ($DEWI, Bappeda) -> Yohana Rumbiak"
check "suggest again: Wayan -> Andi" file_has "$TMP/suggest2" "Wayan Darma ($WAYAN, Bappeda) -> Andi Wijaya"
check "suggest again: Budi unmatched" file_has "$TMP/suggest2" "Budi Santoso ($BUDI, Dinas Kominfo):"
run pair apply --only $DEWI --at 2027-01-05T09:00:00Z
check "apply --only: just Dewi" file_has "$TMP/out" "suggestion 3: 1 pair(s) started, 0 skipped"
run pair list
check "list: Dewi paired" file_has "$TMP/out" "Dewi Anggraini ($DEWI, Bappeda) -> Yohana Rumbiak"
check "list: Ayu not (left out by --only)" file_lacks "$TMP/out" "Ayu Lestari"

# ---- capacity and pause ---------------------------------------------------------------------
run pair mentor $MADE --pause
check "pause: shown" file_has "$TMP/out" "Made Sutrisna ($MADE): paused"
run pair suggest --at 2027-01-05T10:00:00Z
check "a paused mentor is not proposed" file_lacks "$TMP/out" "-> Made Sutrisna"
run pair mentor $MADE --resume --capacity 3
check "resume with capacity 3" file_has "$TMP/out" "active, capacity 3, 1 active mentee(s)"

# ---- low wellbeing: with consent, the mentor is alerted (not HR) ---------------------------
inbox $YOHANA 2027-01-05T11:00:00Z
say $DEWI 2027-01-05T11:05:00Z /mulai 1 1 1 1
say $DEWI 2027-01-05T11:10:00Z /sejahtera 0 0 0 0 0 1
check "wellbeing: Dewi is told her mentor was informed" file_has "$TMP/said" "saya sudah mengabari mentor Anda"
inbox $YOHANA 2027-01-05T11:11:00Z
check "wellbeing: Yohana, her mentor, is alerted without the answers" \
    file_has "$TMP/said" "Dewi Anggraini (Bappeda) mungkin sedang membutuhkan dukungan"

# ---- leaving the programme: HR sees it, nobody matches the person again ----------------------
say $DEWI 2027-01-06T09:00:00Z "/mentor berhenti" "Sedang tugas belajar" 1
check "leave: Dewi is told" file_has "$TMP/said" "Anda sudah keluar dari program pendampingan."
inbox $YOHANA 2027-01-06T09:00:01Z
check "leave: Yohana is told politely" file_has "$TMP/said" \
    "Dewi Anggraini memutuskan untuk keluar dari program pendampingan"
run pair list
check "leave: HR sees who left, since when and why" file_has "$TMP/out" \
    "Dewi Anggraini ($DEWI, Bappeda) since 6 Jan 2027: Sedang tugas belajar"
check "leave: Dewi's pairing ended" file_lacks "$TMP/out" "Dewi Anggraini ($DEWI, Bappeda) -> "
run export $DEWI
check "leave: audited with her NIP" equals \
    "$(jq -r '.audit[] | select(.action == "mentoring.leave") | .actor' <"$TMP/out")" "$DEWI"
run pair suggest --at 2027-01-06T10:00:00Z
check "leave: never proposed while out" file_lacks "$TMP/out" "Dewi Anggraini"
say $DEWI 2027-01-07T09:00:00Z "/mentor ikut"
check "join: Dewi is back" file_has "$TMP/said" "Selamat bergabung kembali di program pendampingan."
run pair suggest --at 2027-01-07T10:00:00Z
check "join: proposed again" file_has "$TMP/out" "Dewi Anggraini ($DEWI, Bappeda) -> "

# ---- match ratings: only in aggregate, hidden below anonymity_k ----------------------------
run pair ratings
check "ratings: none given, hidden" file_has "$TMP/out" "match ratings: 0 (hidden below 5 ratings)"
run pair ratings --by-person
check "ratings: no per-person view" equals "$rc" 2

e2e_finish
