#!/usr/bin/env bash
# tests/fuzz/run.sh - build and run the libFuzzer harnesses for a bounded
# time. For people, not part of `make test`.
#
#   tests/fuzz/run.sh [harness] [seconds]     e.g.  tests/fuzz/run.sh expr 60
#
# Needs clang. Builds into build/fuzz/, keeps a corpus in build/fuzz/corpus-*
# and writes any crash input (crash-*) into build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:-expr}
secs=${2:-20}
out=build/fuzz
mkdir -p "$out/corpus-$name"

pc() { pkg-config --cflags --libs libcjson libpcre2-8 libcrypto; }
case $name in
expr) srcs="tests/fuzz/fuzz_expr.c bot/flow/expr.c bot/flow/expr_eval.c bot/base/bb.c bot/base/cal.c"; libs="-lcrypto -lm" ;;
flow) srcs="tests/fuzz/fuzz_flow.c bot/flow/flow_load.c bot/flow/flow_check.c bot/flow/flow_lib.c bot/flow/flow_engine.c bot/flow/flow_input.c bot/flow/expr.c bot/flow/expr_eval.c bot/base/bb.c bot/base/cal.c"
      libs="-DPCRE2_CODE_UNIT_WIDTH=8 $(pc) -lm" ;;
telegram) srcs="tests/fuzz/fuzz_telegram.c adapters/telegram/telegram.c adapters/net/egress.c adapters/net/ratelimit.c adapters/net/render.c bot/base/bb.c"
      libs="$(pc) -lm -lsqlite3 -lcurl -lwebsockets build/libbimbing.a" ;;
*) echo "unknown harness: $name (known: expr, flow, telegram)" >&2; exit 2 ;;
esac

# Seed flows and Telegram updates from the project's own files.
if [ "$name" = flow ] && [ -z "$(ls -A "$out/corpus-$name")" ]; then
    cp flows/*.json tests/flows/good/*.json "$out/corpus-$name/" 2>/dev/null || true
fi
if [ "$name" = telegram ] && [ -z "$(ls -A "$out/corpus-$name")" ]; then
    printf '%s' '{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"/start"}}' >"$out/corpus-$name/msg"
    printf '%s' '{"ok":true,"result":[{"update_id":7,"callback_query":{"id":"x","from":{"id":42},"data":"q1.yes","message":{"message_id":2,"chat":{"id":42,"type":"private"}}}}]}' >"$out/corpus-$name/cb"
fi

# Seed the corpus with a few expressions so the fuzzer starts from real syntax.
if [ "$name" = expr ] && [ -z "$(ls -A "$out/corpus-$name")" ]; then
    i=0
    for s in 'mood <= 2 and not wants_help' 'len(win) > 0' 'lang == "en"' \
             'week() % 5 == 3' 'person.unit == "Biro SDM"' "days_until(d) < 7" \
             "upper(trim(s)) + 'x\\n'" 'max(min(n, 2), abs(-3.5e2)) / 0' \
             'today() != text(year()) or contains(s, "1")'; do
        printf '%s' "$s" >"$out/corpus-$name/seed$i"
        i=$((i + 1))
    done
fi

clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -o "$out/fuzz_$name" $srcs $libs
cd "$out"
maxlen=1100
[ "$name" = expr ] || maxlen=16384
exec "./fuzz_$name" -max_total_time="$secs" -max_len=$maxlen "corpus-$name"
