#!/usr/bin/env bash
# tests/flows/flows_check.test.sh - `bimbing flows check` against the broken
# examples (each must fail with its expected message) and the good ones
# (must pass). See tests/flows/README.md. Prints "N passed, N failed".
. "$(dirname "$0")/../e2e/lib.sh"
e2e_init "$BIN"
tmp=$TMP

# bad_err NAME: a failed check, with what the last command said on stderr.
bad_err() {
    bad "$1"
    [ -f "$tmp/err" ] && sed 's/^/    /' "$tmp/err"
    return 0
}

# The "_expect" value of a file, read as text (the file may not be valid
# JSON), with \" and \\ unescaped.
expect_of() {
    grep -m1 -oE '"_expect": *"(\\.|[^"\\])*"' "$1" |
        sed -E 's/^"_expect": *"//; s/"$//; s/\\"/"/g; s/\\\\/\\/g'
}

# $1 name, $2 expected fragment, rest: files. A broken case must exit
# non-zero, print the fragment on stderr, and report exactly one error
# (each example breaks one rule).
check_broken() {
    local name=$1 frag=$2
    shift 2
    if [ -z "$frag" ]; then
        : >"$tmp/err"
        bad_err "$name: no \"_expect\" found"
        return
    fi
    "$BIN" flows check "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local nerr
    nerr=$(grep -c ': error: ' "$tmp/err")
    if [ "$rc" -eq 0 ]; then
        bad_err "$name: exit 0, expected a failure"
    elif ! grep -qF -- "$frag" "$tmp/err"; then
        bad_err "$name: expected \"$frag\" in stderr"
    elif [ "$nerr" -ne 1 ]; then
        bad_err "$name: expected exactly one error, got $nerr"
    else
        ok "$name"
    fi
}

for f in tests/flows/broken/*.json; do
    check_broken "$f" "$(expect_of "$f")" "$f"
done
# Cross-file rules: every *.json of the directory, checked together; the
# first file carries "_expect".
for d in tests/flows/broken/*/; do
    d=${d%/}
    files=("$d"/*.json)
    check_broken "$d" "$(expect_of "${files[0]}")" "${files[@]}"
done

# Good flows: the test flows together (one calls the other), and the
# shipped flows (no arguments: every file of ./flows, cross-checked).
check_good() {
    local name=$1
    shift
    if "$BIN" flows check "$@" >"$tmp/out" 2>"$tmp/err" && grep -q 'flow(s) ok' "$tmp/out" &&
        ! grep -q ': error: ' "$tmp/err"; then
        ok "$name"
    else
        bad_err "$name: expected to pass"
    fi
}
check_good "tests/flows/good" tests/flows/good/*.json
check_good "flows/ (default directory)"
check_good "flows/*.json" flows/*.json

# A good flow without the flow it calls is refused: the call check runs on
# the files given (and the flows directory), not just on directories.
"$BIN" flows check tests/flows/good/everything.json >"$tmp/out" 2>"$tmp/err"
if [ $? -ne 0 ] && grep -qF 'calls flow "test.subflow", which is not loaded' "$tmp/err"; then
    ok "everything.json alone: the missing sub-flow is reported"
else
    bad_err "everything.json alone: expected the missing sub-flow to be reported"
fi

# Every broken example is also refused when loaded as a directory, and the
# good flows next to it stay loaded.
mkdir -p "$tmp/dir"
cp tests/flows/good/*.json "$tmp/dir/"
cp tests/flows/broken/unreachable.json "$tmp/dir/"
"$BIN" --flows "$tmp/dir" flows check >"$tmp/out" 2>"$tmp/err"
if [ $? -ne 0 ] && grep -qF 'unreachable' "$tmp/err"; then
    ok "directory with one broken file"
else
    bad_err "directory with one broken file"
fi
"$BIN" --flows "$tmp/dir" flows list >"$tmp/out" 2>"$tmp/err"
if grep -q '^test.everything' "$tmp/out" && grep -q '^test.subflow' "$tmp/out" &&
    ! grep -q 'broken.unreachable' "$tmp/out"; then
    ok "flows list: the good flows stay loaded beside a broken one"
else
    bad_err "flows list: the good flows stay loaded beside a broken one"
fi

# Every register: the shipped flows pass for an instance that allows the
# casual register too (every text that says "Anda" has its variant), and a
# formal-only text is refused there but not in a formal instance.
echo '{"register": "santai"}' >"$tmp/santai.json"
if "$BIN" --config "$tmp/santai.json" flows check >"$tmp/out" 2>"$tmp/err"; then
    ok "shipped flows pass in the santai register"
else
    bad_err "shipped flows pass in the santai register"
fi
cat >"$tmp/formal_only.json" <<'JSON'
{"id": "t.formal", "version": 1, "kind": "coaching", "title": {"id": "Uji", "en": "Test"},
 "triggers": [{"command": "uji"}], "start": "a",
 "nodes": {"a": {"say": {"id": "Terima kasih, {{sapaan_nama}}.", "en": "Thank you."}, "end": true}}}
JSON
if "$BIN" flows check "$tmp/formal_only.json" >"$tmp/out" 2>"$tmp/err"; then
    ok "a formal-only text passes in the formal register"
else
    bad_err "a formal-only text passes in the formal register"
fi
if ! "$BIN" --config "$tmp/santai.json" flows check "$tmp/formal_only.json" >"$tmp/out" 2>"$tmp/err" &&
    grep -qF '[t.formal/a] say: this instance allows the casual register' "$tmp/err"; then
    ok "...and is refused where santai is allowed"
else
    bad_err "...and is refused where santai is allowed"
fi

e2e_finish
