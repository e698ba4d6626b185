#!/usr/bin/env bash
# The cost-growth table: the page benchmark on the same institution at 1x,
# 10x and 100x the data (scale small, medium and large), one column each,
# to show which pages grow with the data and which do not.
#
#   scripts/bench-growth.sh
#
# It runs scripts/bench-pages.sh three times (each generates its institution
# once into a cached SQLite file; DB_SMALL, DB_MEDIUM, DB_LARGE name other
# files) with the same settings (N, C, USERS, PORT, MAX_TIME), then
# cmd/pagebench -growth. The table goes to $OUT (by default
# bench-growth.md in a new temporary directory), each run's report next to
# it.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d -t cadran-growth-XXXXXX)
out=${OUT:-$dir/bench-growth.md}
export N=${N:-15}
spec=
for s in small:1x medium:10x large:100x; do
  scale=${s%%:*} label=${s##*:}
  var=DB_${scale^^}
  echo "== $label: scale $scale =="
  env SCALE="$scale" ${!var:+DB="${!var}"} OUT="$dir/$scale.md" JSON="$dir/$scale.json" FAIL=0 scripts/bench-pages.sh
  spec+="${spec:+,}$label=$dir/$scale.json"
done
go run ./cmd/pagebench -growth "$spec" -out "$out"
sed -n '/^- routes/p' "$out"
echo "table: $out"
