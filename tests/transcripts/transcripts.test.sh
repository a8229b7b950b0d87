#!/usr/bin/env bash
# tests/transcripts/transcripts.test.sh - play the Indonesian conversation
# transcripts (tests/transcripts/*.id.txt, format in README.md beside this
# file) against the built binary; transcripts_en.test.sh plays the others
# (two scripts, so tests/run.sh plays both halves side by side). One test
# per transcript; the closing line of the transcript tool ("N passed, N
# failed") is passed through for tests/run.sh.
#
#   BIMBING_BUILD  build tree with tools/transcript (default build)
#   BIMBING_BIN    the binary to talk to (default $BIMBING_BUILD/bin/bimbing)
. "$(dirname "$0")/../e2e/lib.sh"
TOOL=$BUILD/tools/transcript
e2e_init "$BIN" "$TOOL"
"$TOOL" --bin "$BIN" tests/transcripts/*.id.txt
