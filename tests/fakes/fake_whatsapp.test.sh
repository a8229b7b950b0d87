#!/usr/bin/env bash
# tests/fakes/fake_whatsapp.test.sh - black-box checks of the fake WhatsApp
# Graph API with curl: auth, payload checks, ids, faults, the 24-hour
# window, records, and the webhooks it posts (captured by a small listener
# when python3 is there, and their X-Hub-Signature-256 checked with
# openssl). Prints "N passed, N failed". 127.0.0.1 only, bounded waits,
# whatever was started is killed on exit.
. "$(dirname "$0")/../e2e/lib.sh"
FAKE=$BUILD/fakes/fake_whatsapp
e2e_init "$FAKE"

# The "bot": a listener that keeps each webhook (headers and body) in a
# file and answers 200; without python3, a second fake (any POST gets an
# HTTP answer) and the signature checks are skipped.
CAPTURE=0
if command -v python3 >/dev/null && command -v openssl >/dev/null; then
    cat >"$TMP/listen.py" <<'PY'
import http.server, sys, os
out = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        k = len(os.listdir(out)) // 2
        with open(os.path.join(out, "%03d.sig" % k), "w") as f:
            f.write(self.headers.get("X-Hub-Signature-256", ""))
        with open(os.path.join(out, "%03d.body" % k), "wb") as f:
            f.write(body)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PY
    mkdir -p "$TMP/hooks"
    python3 "$TMP/listen.py" "$TMP/bot" "$TMP/hooks" &
    e2e_track $!
    for _ in $(seq 1 100); do [ -s "$TMP/bot" ] && break; sleep 0.05; done
    [ -s "$TMP/bot" ] && CAPTURE=1
fi
if [ "$CAPTURE" = 0 ]; then
    start_fake "$FAKE" "$TMP/bot" || e2e_abort "fake did not start"
fi
BOTPORT=$(cat "$TMP/bot")
start_fake "$FAKE" "$TMP/p" --token TOK --phone-id 555 --app-secret s3cret \
    --webhook "http://127.0.0.1:$BOTPORT/v1/555/messages" || e2e_abort "fake did not start"
F=http://127.0.0.1:$(cat "$TMP/p")
post() { curl -s -m 5 -X POST "$F$1" -H "Authorization: Bearer ${3:-TOK}" -d "$2"; }
code() { curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST "$F$1" -H "Authorization: Bearer ${3:-TOK}" -d "$2"; }
TEXT='{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281234567801","type":"text","text":{"body":"halo"}}'

r=$(post /v23.0/555/messages "$TEXT")
has "text message accepted with a wamid" "$r" '"messaging_product":"whatsapp"' '"wa_id":"6281234567801"' '"id":"wamid.FAKE'
r=$(post /v23.0/555/messages "$TEXT" wrong)
has "wrong token: OAuth error 190" "$r" '"code":190' '"type":"OAuthException"' '"fbtrace_id"'
[ "$(code /v23.0/555/messages "$TEXT" wrong)" = 401 ] && ok "wrong token is HTTP 401" || bad "wrong token is HTTP 401"
r=$(post /v23.0/999/messages "$TEXT")
has "unknown phone id: code 100" "$r" '"code":100'
long=$(printf 'a%.0s' $(seq 1 4097))
r=$(post /v23.0/555/messages "{\"messaging_product\":\"whatsapp\",\"to\":\"6281\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}")
has "a short 'to' is invalid" "$r" '"code":100' 'to is required'
r=$(post /v23.0/555/messages "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567801\",\"type\":\"text\",\"text\":{\"body\":\"$long\"}}")
has "text over 4096 characters: code 100" "$r" '"code":100' '1 to 4096'
btn() { echo "{\"type\":\"reply\",\"reply\":{\"id\":\"$1\",\"title\":\"$2\"}}"; }
IA() { echo "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567801\",\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"q\"},\"action\":{\"buttons\":[$1]}}}"; }
r=$(post /v23.0/555/messages "$(IA "$(btn a A),$(btn b B),$(btn c C)")")
has "three buttons accepted" "$r" '"id":"wamid.'
r=$(post /v23.0/555/messages "$(IA "$(btn a A),$(btn b B),$(btn c C),$(btn d D)")")
has "four buttons refused" "$r" '"code":100' '1 to 3 buttons'
r=$(post /v23.0/555/messages "$(IA "$(btn a A),$(btn b A)")")
has "duplicate button titles refused" "$r" 'unique'
r=$(post /v23.0/555/messages "$(IA "$(btn a 123456789012345678901)")")
has "a 21-character button title refused" "$r" '"code":100'
rows() { local s="" i; for i in $(seq 1 "$1"); do s="$s${s:+,}{\"id\":\"r$i\",\"title\":\"$2\"}"; done; echo "$s"; }
LIST() { echo "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567801\",\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{\"text\":\"q\"},\"action\":{\"button\":\"Pilih\",\"sections\":[{\"title\":\"s\",\"rows\":[$1]}]}}}"; }
r=$(post /v23.0/555/messages "$(LIST "$(rows 10 ok)")")
has "a list of 10 rows accepted" "$r" '"id":"wamid.'
r=$(post /v23.0/555/messages "$(LIST "$(rows 11 ok)")")
has "11 rows refused" "$r" 'at most 10 rows'
r=$(post /v23.0/555/messages "$(LIST "$(rows 2 1234567890123456789012345)")")
has "a 25-character row title refused" "$r" '"code":100'
TPL='{"messaging_product":"whatsapp","to":"6281234567801","type":"template","template":{"name":"hello","language":{"code":"en"}}}'
r=$(post /v23.0/555/messages "$TPL")
has "template accepted" "$r" '"id":"wamid.'
r=$(post /v23.0/555/messages '{"messaging_product":"whatsapp","to":"6281234567801","type":"template","template":{"name":"hello"}}')
has "template without a language refused" "$r" '"code":100'

# faults
post /control/fault '{"code":130429,"count":1,"to":"081234567801"}' >/dev/null
r=$(post /v23.0/555/messages "$TEXT")
has "fault 130429 for that number" "$r" '"code":130429'
r=$(post /v23.0/555/messages "$TEXT")
has "the fault is used up after count" "$r" '"id":"wamid.'
post /control/fault '{"code":500,"count":1}' >/dev/null
[ "$(code /v23.0/555/messages "$TEXT")" = 500 ] && ok "fault 500 is HTTP 500" || bad "fault 500 is HTTP 500"
post /control/fault '{"code":131056,"count":1}' >/dev/null
has "fault 131056" "$(post /v23.0/555/messages "$TEXT")" '"code":131056'

# the 24-hour window
post /control/window '{"enabled":true}' >/dev/null
has "window on: never wrote -> 131047" "$(post /v23.0/555/messages "$TEXT")" '"code":131047'
has "window on: templates still go" "$(post /v23.0/555/messages "$TPL")" '"id":"wamid.'
r=$(post /control/write '{"from":"081234567801","text":"hi"}')
has "write posts a signed webhook (the bot answered)" "$r" '"ok":true' '"id":"wamid.IN'
has "after writing, text goes" "$(post /v23.0/555/messages "$TEXT")" '"id":"wamid.'
post /control/clock '{"advance_s":86400}' >/dev/null
has "24 h later (fake clock) -> 131047" "$(post /v23.0/555/messages "$TEXT")" '"code":131047'
r=$(post /control/write '{"from":"081234567801","text":"hi again","age_s":90000}')
has "an aged write keeps the window closed" "$(post /v23.0/555/messages "$TEXT")" '"code":131047'

# records, statuses, replay, stats
s=$(curl -s "$F/control/sent?to=081234567801")
has "sent records with status and code" "$s" '"status":200' '"code":131047' '"type":"template"'
id=$(echo "$s" | grep -o 'wamid.FAKE[0-9]*' | head -1)
r=$(post /control/status "{\"id\":\"$id\",\"statuses\":[\"read\",\"delivered\"]}")
has "status callback posted" "$r" '"ok":true' '"status":'
has "status for an unknown id is 404" "$(post /control/status '{"id":"wamid.NOPE"}')" 'no such message'
has "replay re-posts the last webhook" "$(post /control/replay '{}')" '"ok":true'
has "bad control body refused" "$(post /control/write '[1]')" '"ok":false'
has "write needs a phone number" "$(post /control/write '{"from":"abc"}')" 'phone number'
st=$(curl -s "$F/control/stats")
has "stats" "$st" '"accepted":' '"rejected":' '"max_overall_1s":' '"webhooks_posted":4'
if [ "$CAPTURE" = 1 ]; then
    nh=$(ls "$TMP/hooks"/*.body 2>/dev/null | wc -l)
    [ "$nh" = 4 ] && ok "the bot received 4 webhooks" || bad "the bot received 4 webhooks" "$nh"
    good=0
    for b in "$TMP/hooks"/*.body; do
        want=$(openssl dgst -sha256 -hmac s3cret <"$b" | sed 's/.*= //')
        [ "$(cat "${b%.body}.sig")" = "sha256=$want" ] && good=$((good + 1))
    done
    [ "$good" = "$nh" ] && ok "every webhook is signed with HMAC-SHA256 of the raw body" ||
        bad "webhook signatures" "$good of $nh"
    has "a message webhook has the Cloud API shape" "$(cat "$TMP/hooks/000.body")" \
        '"object":"whatsapp_business_account"' '"field":"messages"' '"from":"6281234567801"' \
        '"type":"text"' '"body":"hi"' '"phone_number_id":"555"'
    has "a status webhook lists the statuses in the order asked" "$(cat "$TMP/hooks/002.body")" \
        '"statuses":[{"id":"'"$id"'","status":"read"' '"status":"delivered"' '"recipient_id":"6281234567801"'
    cmp -s "$TMP/hooks/002.body" "$TMP/hooks/003.body" && ok "replay posts the same body again" ||
        bad "replay posts the same body again"
    post /control/write '{"from":"081234567801","text":"x","forge":true}' >/dev/null
    want=$(openssl dgst -sha256 -hmac s3cret <"$TMP/hooks/004.body" | sed 's/.*= //')
    [ "$(cat "$TMP/hooks/004.sig")" != "sha256=$want" ] && ok "forge:true signs with a wrong secret" ||
        bad "forge:true signs with a wrong secret"
fi
post /control/reset '{}' >/dev/null
has "reset forgets the record" "$(curl -s "$F/control/sent")" '[]'

e2e_finish
