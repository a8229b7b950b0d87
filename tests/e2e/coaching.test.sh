#!/usr/bin/env bash
# tests/e2e/coaching.test.sh - what the coaching conversations store: plays
# coaching transcripts into kept databases, then checks `bimbing export`
# (wellbeing, GROW, goals, learning/JP, reflections, feedback with and
# without the giver, mentor requests) and that `forget` erases it all.
# Each check counts once; prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
TOOL=$BUILD/tools/transcript
e2e_init "$BIN" "$TOOL"
e2e_need_cmd jq
TR=tests/transcripts

# expect NAME DB NIP JQ-FILTER EXPECTED: the filter over the person's export
expect() {
    local got
    got=$(timeout 30 "$BIN" --db "$2" export "$3" 2>/dev/null | jq -c "$4" 2>&1)
    if [ "$got" = "$5" ]; then ok "$1"; else bad "$1"; echo "     expected $5, got $got"; fi
}
play() { # DB transcript
    timeout 120 "$TOOL" --bin "$BIN" --db "$1" "$2" >"$TMP/play.out" 2>&1 ||
        { bad "play $2"; sed 's/^/     /' "$TMP/play.out"; return 1; }
}

play "$TMP/wb.db" "$TR/wellbeing-alert.id.txt"
expect "wellbeing: raw, score, items, alerted" "$TMP/wb.db" "$AYU" \
    '[.wellbeing[] | [.raw, .score, .items, .alerted]]' '[[5,20,"1,1,0,1,2",1]]'
expect "wellbeing: consent stored" "$TMP/wb.db" "$AYU" \
    '[.consents[] | select(.purpose == "wellbeing_alert") | .granted]' '[1]'
expect "wellbeing: nothing in the HR person's export" "$TMP/wb.db" 197803032005032003 \
    '.wellbeing | length' '0'

play "$TMP/wl.db" "$TR/wellbeing-low.id.txt"
expect "wellbeing: low without consent is stored, not alerted" "$TMP/wl.db" "$AYU" \
    '[.wellbeing[] | [.raw, .alerted]]' '[[8,0],[17,0]]'

play "$TMP/grow.db" "$TR/grow.id.txt"
# the follow-up went to the session that was due, not the newer one; the
# answer to "what would raise your confidence" is kept
expect "grow: session with follow-up" "$TMP/grow.db" "$AYU" \
    '[.grow_sessions[] | [.confidence, .followup_day, .progress, .followup_note, .boost]]' \
    '[[5,"2026-12-04","progress","Blok waktu pagi sangat membantu","Kalau Putri setuju membantu mengolah data"],[8,"2026-12-20","","",""]]'

play "$TMP/goal.db" "$TR/goal.en.txt"
expect "goal: group, competency, due, open" "$TMP/goal.db" "$BUDI" \
    '[.development_goals[] | [.comp_group, .competency, .due, .status]]' \
    '[["teknis","Cloud security","2027-06-30","open"]]'

play "$TMP/jp.db" "$TR/jp.id.txt"
expect "learning: kind, minutes (typed as 1,5 jam, 1 jam, 2 JP), JP and the day it took place" \
    "$TMP/jp.db" "$AYU" '[.learning[] | [.kind, .minutes, .jp, .day]]' \
    '[["elearning",90,2,"2026-11-27"],["mandiri",60,1.33,"2026-11-25"],["pelatihan",90,2,"2025-12-15"]]'

play "$TMP/refl.db" "$TR/reflect.id.txt"
expect "reflection: week, value, rating" "$TMP/refl.db" "$AYU" \
    '[.reflections[] | [.week, .value, .rating]]' '[["2026-W48","berorientasi_pelayanan",4]]'

play "$TMP/mentor.db" "$TR/mentor.id.txt"
expect "mentor request: one open row, updated tags" "$TMP/mentor.db" "$AYU" \
    '[.mentor_requests[] | [.status, .tags, .traits]]' '[["open","kepemimpinan","-"]]'

play "$TMP/fb.db" "$TR/feedback.id.txt"
expect "feedback: named feedback received with the giver" "$TMP/fb.db" "$AYU" \
    '[.feedback_received[] | [.giver, .anonymous]]' '[["Putri Maharani",0]]'
expect "feedback: the giver's export has it as given" "$TMP/fb.db" "$PUTRI" \
    '[.feedback_given[] | .to_name]' '["Ayu Lestari"]'

play "$TMP/fba.db" "$TR/feedback.en.txt"
expect "feedback: anonymous feedback has no giver" "$TMP/fba.db" "$BUDI" \
    '[.feedback_received[] | [.giver, .anonymous]]' '[[null,1]]'
expect "feedback: anonymous feedback is not in the giver's export" "$TMP/fba.db" "$FAJAR" \
    '.feedback_given | length' '0'
expect "feedback: the request shows answered" "$TMP/fba.db" "$FAJAR" \
    '[.feedback_requests[] | [.direction, .status]]' '[["asked_of_me","answered"]]'
expect "feedback: /cancel inside feedback.give leaves the request declined" "$TMP/fba.db" \
    199304042019031008 '[.feedback_requests[] | [.direction, .status]]' \
    '[["asked_of_me","declined"]]'

# forget: the giver's rows go, and with them what they gave and were asked
if timeout 30 "$BIN" --db "$TMP/fb.db" forget "$PUTRI" --yes >/dev/null 2>&1; then
    ok "forget runs"
else
    bad "forget runs"
fi
expect "forget: feedback from the forgotten giver is gone" "$TMP/fb.db" "$AYU" \
    '[(.feedback_received | length), (.feedback_requests | length)]' '[0,0]'

e2e_finish
