#!/usr/bin/env bash
# tests/e2e/diskfull.test.sh - a full disk: `bimbing serve` in Telegram
# webhook mode loses its right to write (its file size limit is set to 0
# while it runs, with prlimit: every write to the database fails as on a
# full disk). Webhooks must then be answered 503 so that the platform
# retries, the service must keep running, and when space returns (the
# limit lifted) every message is processed once, with nothing lost and the
# database intact. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
FAKE=$BUILD/fakes/fake_telegram
PEOPLE=$BUILD/tools/bench_people
e2e_init "$BIN" "$FAKE" "$PEOPLE"
command -v prlimit >/dev/null || { echo "skipped: prlimit (util-linux) is not installed"; echo "0 passed, 0 failed"; exit 0; }
N=5
BASEID=1000000000
DB=$TMP/db
"$PEOPLE" --db "$DB" --count "$N" --channel telegram --base $BASEID >"$TMP/people.log" 2>&1 ||
    e2e_abort "bench_people failed: $(cat "$TMP/people.log")"
# Up to 40 deliveries of an update (about a minute): longer than the
# disk stays full here. The real Telegram retries for hours.
start_fake "$FAKE" "$TMP/fake.port" --hook-tries 40 || e2e_abort "the fake Bot API did not start"
API=http://127.0.0.1:$(cat "$TMP/fake.port")
SP=$(free_port)
SECRET=diskfull_secret
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "full", "telegram": {"mode": "webhook", "webhook_url": "http://127.0.0.1:$SP/webhooks/telegram"}}
EOF2
BIMBING_TELEGRAM_TOKEN=123456:TEST BIMBING_TELEGRAM_API=$API BIMBING_HTTP_PORT=$SP \
    BIMBING_TELEGRAM_WEBHOOK_SECRET=$SECRET \
    "$BIN" --db "$DB" --config "$TMP/bimbing.json" --flows flows serve >"$TMP/serve.log" 2>&1 &
SERVE=$!
e2e_track "$SERVE"
check "serve starts in webhook mode" wait_for 10 bash -c \
    "curl -s '$API/control/sent' | jq -e 'any(.[]; .method==\"setWebhook\")' >/dev/null"
say() { curl -fsS -X POST "$API/control/message" -H 'Content-Type: application/json' \
    -d "{\"chat_id\":$1,\"text\":\"$2\"}" >/dev/null; }
replies() { curl -fsS "$API/control/sent?chat_id=$1" | jq '[.[] | select(.method=="sendMessage" and .status==200)] | length'; }
total_replies() { local t=0 c; for c in $(seq $BASEID $((BASEID + N - 1))); do t=$((t + $(replies "$c"))); done; echo "$t"; }
say $BASEID "/menu"
check "before: a message is answered" wait_for 10 at_least 1 replies $BASEID
base=$(total_replies)

# ---- the disk fills -------------------------------------------------------------
prlimit --pid "$SERVE" --fsize=0:unlimited
check "the file size limit is in place" grep -q 'Max file size *0 ' "/proc/$SERVE/limits"
for c in $(seq $BASEID $((BASEID + N - 1))); do say "$c" "/menu"; done
check "webhooks are refused while the disk is full (the fake saw errors)" wait_for 15 bash -c \
    "curl -s '$API/control/stats' | jq -e '.webhook.failed > 0 or (.webhook | tostring | test(\"503\"))' >/dev/null ||
     curl -s '$API/bot123456:TEST/getWebhookInfo' | jq -e '.result.last_error_message | test(\"503\")' >/dev/null"
sleep 2
eq "nothing is answered while the disk is full" "$(total_replies)" "$base"
check "the service keeps running" kill -0 "$SERVE"

# ---- space returns --------------------------------------------------------------
prlimit --pid "$SERVE" --fsize=unlimited:unlimited
check "space back: every message is answered" wait_for 60 at_least $((base + N)) total_replies
sleep 1
eq "each message answered once (no duplicate, nothing lost)" "$(total_replies)" $((base + N))
eq "the fake dropped no update" \
    "$(curl -s "$API/control/stats" | jq '.webhook.failed')" 0
kill "$SERVE"
wait "$SERVE"
eq "serve stops cleanly" "$?" 0
eq "integrity_check" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
eq "every event processed" "$(sqlite3 "$DB" 'SELECT count(*) FROM inbox WHERE processed_at IS NULL')" 0
e2e_finish
