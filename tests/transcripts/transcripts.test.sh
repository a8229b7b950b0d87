#!/usr/bin/env bash
# tests/transcripts/transcripts.test.sh - play every conversation transcript
# (tests/transcripts/*.txt, format in README.md beside this file) against the
# built binary. One test per transcript; the closing line of the transcript
# tool ("N passed, N failed") is passed through for tests/run.sh.
#
#   BIMBING_BUILD  build tree with tools/transcript (default build)
#   BIMBING_BIN    the binary to talk to (default $BIMBING_BUILD/bin/bimbing)
. "$(dirname "$0")/../e2e/lib.sh"
TOOL=$BUILD/tools/transcript
e2e_init "$BIN" "$TOOL"
"$TOOL" --bin "$BIN" tests/transcripts/*.txt
