#!/bin/sh
# web/admin/vendor.sh - copy the HR dashboard's chart library (Chart.js, an
# npm dependency in the repository's package.json) from node_modules into
# web/admin/vendor/, where the pages load it from. Run after `npm ci` at
# the repository root. Without it the dashboard still works: every chart
# also has a table, and the pages hide the empty chart area.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/node_modules/chart.js/dist/chart.umd.min.js
dst=$root/web/admin/vendor
if [ ! -f "$src" ]; then
    echo "vendor.sh: $src is missing; run 'npm ci' at the repository root first" >&2
    exit 1
fi
mkdir -p "$dst"
cp "$src" "$dst/chart.umd.min.js"
cp "$root/node_modules/chart.js/LICENSE.md" "$dst/chart.js.LICENSE.md" 2>/dev/null || true
echo "vendor.sh: Chart.js copied to web/admin/vendor/"
