#!/usr/bin/env bash
# tests/transcripts/transcripts_en.test.sh - play every conversation
# transcript that transcripts.test.sh does not (all but *.id.txt: the
# English ones) against the built binary; the same variables and output.
. "$(dirname "$0")/../e2e/lib.sh"
TOOL=$BUILD/tools/transcript
e2e_init "$BIN" "$TOOL"
files=()
for f in tests/transcripts/*.txt; do
    [[ $f == *.id.txt ]] || files+=("$f")
done
"$TOOL" --bin "$BIN" "${files[@]}"
