#!/usr/bin/env bash
# tests/transcripts/transcripts.test.sh - play every conversation transcript
# (tests/transcripts/*.txt, format in README.md beside this file) against the
# built binary. One test per transcript; the closing line of the transcript
# tool ("N passed, N failed") is passed through for tests/run.sh.
#
#   BIMBING_BUILD  build tree with tools/transcript (default build)
#   BIMBING_BIN    the binary to talk to (default $BIMBING_BUILD/bin/bimbing)
set -u
cd "$(dirname "$0")/../.."
BUILD=${BIMBING_BUILD:-build}
BIN=${BIMBING_BIN:-$BUILD/bin/bimbing}
TOOL=$BUILD/tools/transcript
if [ ! -x "$TOOL" ] || [ ! -x "$BIN" ]; then
    echo "missing $TOOL or $BIN (run make test)"
    echo "0 passed, 1 failed"
    exit 1
fi
"$TOOL" --bin "$BIN" tests/transcripts/*.txt
