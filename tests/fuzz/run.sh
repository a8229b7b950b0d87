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

case $name in
expr) srcs="tests/fuzz/fuzz_expr.c bot/expr.c bot/bb.c"; libs="-lcrypto -lm" ;;
*) echo "unknown harness: $name (known: expr)" >&2; exit 2 ;;
esac

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
exec "./fuzz_$name" -max_total_time="$secs" -max_len=1100 "corpus-$name"
