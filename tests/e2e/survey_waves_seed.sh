# tests/e2e/survey_waves_seed.sh - sourced by survey_waves.test.sh and
# browser_surveys.test.sh (not a test itself): four closed waves of
# survey.enps to everyone, a week apart in the past, with anonymous
# answers written as released answers (unit '' = "(other units)"), and
# the figures by hand:
#   wave 1: 6 7 8 9 10      n 5, mean 8.00, eNPS (2-1)/5 = +20
#   wave 2: 3 7 9 9 10 10   n 6, mean 8.00, eNPS (4-1)/6 = +50
#   wave 3: 10 10 10        3 < k = 5: hidden, left out of the trend
#   wave 4: 8 9 10 10 10    n 5, mean 9.40, eNPS (4-0)/5 = +80
# Every answer has a comment "alasan W-N". Everyone has a (made-up) web
# chat, so all 12 are invited; the first N invitations count as answered.
# Needs $BIN, $DB, sqlite3.
seed_survey_waves() {
    local now w i s seed="" scores
    now=$(date +%s)
    sqlite3 "$DB" "INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
        SELECT 'web', 'seed-' || id, id, $now, $now FROM people;" || return 1
    for w in 1 2 3 4; do
        s=$(date -u -d "@$((now - (10 - w) * 604800))" +%FT%TZ)
        "$BIN" --db "$DB" --flows flows survey send survey.enps --to all --at "$s" \
            --close-after 3d >/dev/null || return 1
        case $w in
        1) scores="6 7 8 9 10" ;;
        2) scores="3 7 9 9 10 10" ;;
        3) scores="10 10 10" ;;
        4) scores="8 9 10 10 10" ;;
        esac
        i=0
        for s in $scores; do
            i=$((i + 1))
            seed="$seed INSERT INTO survey_answers(response, wave_id, unit, question, num)"
            seed="$seed VALUES('w$w-r$i', $w, '', 'enps', $s);"
            seed="$seed INSERT INTO survey_answers(response, wave_id, unit, question, txt)"
            seed="$seed VALUES('w$w-r$i', $w, '', 'why', 'alasan $w-$i');"
        done
        seed="$seed UPDATE survey_invitations SET answered = 1 WHERE wave_id = $w AND person_id IN"
        seed="$seed (SELECT person_id FROM survey_invitations WHERE wave_id = $w ORDER BY person_id LIMIT $i);"
    done
    sqlite3 "$DB" "$seed" || return 1
    for w in 1 2 3 4; do
        "$BIN" --db "$DB" survey close $w >/dev/null || return 1
    done
}
