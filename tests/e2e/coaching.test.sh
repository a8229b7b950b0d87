#!/usr/bin/env bash
# tests/e2e/coaching.test.sh - what the coaching conversations store: plays
# coaching transcripts into kept databases, then checks `bimbing export`
# (wellbeing, GROW, goals, learning/JP, reflections, feedback with and
# without the giver, mentor requests) and that `forget` erases it all.
# Each check counts once; prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
TOOL=$BUILD/tools/transcript
e2e_init "$BIN" "$TOOL"
e2e_need_cmd jq
T=$TMP
TR=tests/transcripts

# expect NAME DB NIP JQ-FILTER EXPECTED: the filter over the person's export
expect() {
    local got
    got=$(timeout 30 "$BIN" --db "$2" export "$3" 2>/dev/null | jq -c "$4" 2>&1)
    if [ "$got" = "$5" ]; then ok "$1"; else bad "$1"; echo "     expected $5, got $got"; fi
}
play() { # DB transcript
    timeout 120 "$TOOL" --bin "$BIN" --db "$1" "$2" >"$T/play.out" 2>&1 ||
        { bad "play $2"; sed 's/^/     /' "$T/play.out"; return 1; }
}

play "$T/wb.db" "$TR/wellbeing-alert.id.txt"
expect "wellbeing: raw, score, items, alerted" "$T/wb.db" "$AYU" \
    '[.wellbeing[] | [.raw, .score, .items, .alerted]]' '[[5,20,"1,1,0,1,2",1]]'
expect "wellbeing: consent stored" "$T/wb.db" "$AYU" \
    '[.consents[] | select(.purpose == "wellbeing_alert") | .granted]' '[1]'
expect "wellbeing: nothing in the HR person's export" "$T/wb.db" 197803032005031003 \
    '.wellbeing | length' '0'

play "$T/wl.db" "$TR/wellbeing-low.id.txt"
expect "wellbeing: low without consent is stored, not alerted" "$T/wl.db" "$AYU" \
    '[.wellbeing[] | [.raw, .alerted]]' '[[8,0],[17,0]]'

play "$T/grow.db" "$TR/grow.id.txt"
expect "grow: session with follow-up" "$T/grow.db" "$AYU" \
    '[.grow_sessions[] | [.confidence, .followup_day, .progress, .followup_note]]' \
    '[[5,"2026-12-04","progress","Blok waktu pagi sangat membantu"]]'

play "$T/goal.db" "$TR/goal.en.txt"
expect "goal: group, competency, due, open" "$T/goal.db" "$BUDI" \
    '[.development_goals[] | [.comp_group, .competency, .due, .status]]' \
    '[["teknis","Cloud security","2027-06-30","open"]]'

play "$T/jp.db" "$TR/jp.id.txt"
expect "learning: minutes, kind and JP" "$T/jp.db" "$AYU" \
    '[.learning[] | [.kind, .minutes, .jp]]' '[["elearning",90,2],["mandiri",60,1.33]]'

play "$T/refl.db" "$TR/reflect.id.txt"
expect "reflection: week, value, rating" "$T/refl.db" "$AYU" \
    '[.reflections[] | [.week, .value, .rating]]' '[["2026-W48","berorientasi_pelayanan",4]]'

play "$T/mentor.db" "$TR/mentor.id.txt"
expect "mentor request: one open row, updated tags" "$T/mentor.db" "$AYU" \
    '[.mentor_requests[] | [.status, .tags, .traits]]' '[["open","kepemimpinan","-"]]'

play "$T/fb.db" "$TR/feedback.id.txt"
expect "feedback: named feedback received with the giver" "$T/fb.db" "$AYU" \
    '[.feedback_received[] | [.giver, .anonymous]]' '[["Putri Maharani",0]]'
expect "feedback: the giver's export has it as given" "$T/fb.db" "$PUTRI" \
    '[.feedback_given[] | .to_name]' '["Ayu Lestari"]'

play "$T/fba.db" "$TR/feedback.en.txt"
expect "feedback: anonymous feedback has no giver" "$T/fba.db" "$BUDI" \
    '[.feedback_received[] | [.giver, .anonymous]]' '[[null,1]]'
expect "feedback: anonymous feedback is not in the giver's export" "$T/fba.db" "$FAJAR" \
    '.feedback_given | length' '0'
expect "feedback: the request shows answered" "$T/fba.db" "$FAJAR" \
    '[.feedback_requests[] | [.direction, .status]]' '[["asked_of_me","answered"]]'

# forget: the giver's rows go, and with them what they gave and were asked
if timeout 30 "$BIN" --db "$T/fb.db" forget "$PUTRI" --yes >/dev/null 2>&1; then
    ok "forget runs"
else
    bad "forget runs"
fi
expect "forget: feedback from the forgotten giver is gone" "$T/fb.db" "$AYU" \
    '[(.feedback_received | length), (.feedback_requests | length)]' '[0,0]'

e2e_finish
