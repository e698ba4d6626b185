#!/usr/bin/env bash
# Benchmarks every page and API route of Cadran on SQLite, one core:
#
#   scripts/bench-pages.sh                  # the large institution (issue 13's budget)
#   SCALE=small FAIL=1 scripts/bench-pages.sh   # what CI runs
#
# It builds bin/cadran and cmd/pagebench, generates the institution once into
# a cached SQLite file ($DB, reused when it exists), starts `cadran serve`
# pinned to core 0 with GOMAXPROCS=1 on a loopback port, measures start-up to
# the first /healthz (5 runs) and resident memory (idle, then after the run,
# with the peak), and runs pagebench (pinned to the other core when there is
# one), which crawls every page as each demo user, measures each route and the
# API, and lists the GET routes it never reached. The report is a Markdown file
# ($OUT, by default bench-pages.md in a new temporary directory); the summary
# goes to standard output.
#
# Settings (environment): SCALE (large), DB (cache file), OUT, PORT (18097),
# N requests per route (30), C concurrency (1), USERS (pagebench's default:
# the demo sign-ins), JUDGE (server: the budgets hold the server's p95 from
# Server-Timing, as DESIGN.md states them; client: the time until the whole
# answer is read), MAX_TIME (30m), FAIL=1 to exit 1 when a route is over
# budget or answers an error, or start-up is over budget; with FAIL_MEMORY=1
# also when the peak resident memory is over budget. BUDGETS replaces the
# budgets pagebench judges by ("-budget-page 100ms -budget-search 60ms").
# JSON=file also keeps pagebench's report as JSON (scripts/bench-growth.sh
# compares such reports across sizes).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${SCALE:-large}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/cadran
db=${DB:-$cache/bench-$scale.db}
port=${PORT:-18097}
addr=127.0.0.1:$port
out=${OUT:-$(mktemp -d -t cadran-bench-XXXXXX)/bench-pages.md}
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Cores: the server gets core 0 alone, pagebench another when there is one.
server_pin=(env GOMAXPROCS=1)
bench_pin=()
if command -v taskset >/dev/null 2>&1; then
  server_pin=(taskset -c 0 env GOMAXPROCS=1)
  if [ "$(nproc)" -gt 1 ]; then bench_pin=(taskset -c 1); fi
fi

make -s build
go build -o "$work/pagebench" ./cmd/pagebench

if [ ! -s "$db" ]; then
  echo "== generating the $scale institution into $db (once) =="
  mkdir -p "$(dirname "$db")"
  rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
  t0=$(date +%s)
  ./bin/cadran generate -database "$db.tmp" -scale "$scale" -log-level warn
  for f in -wal -shm; do if [ -e "$db.tmp$f" ]; then mv "$db.tmp$f" "$db$f"; fi; done
  mv "$db.tmp" "$db"
  echo "generated in $(( $(date +%s) - t0 )) s"
fi
./bin/cadran routes -method GET >"$work/routes.txt"

# wait_up waits for /healthz; it fails when the server exits first.
wait_up() {
  until curl -fs "http://$addr/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "cadran serve exited; see $work/serve.log" >&2; cat "$work/serve.log" >&2; return 1; }
    sleep 0.005
  done
}
serve() {
  "${server_pin[@]}" ./bin/cadran serve -addr "$addr" -database "$db" -log-level warn >"$work/serve.log" 2>&1 &
  pid=$!
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
rss() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

echo "== start-up to the first /healthz (5 runs) =="
# The first start migrates the schema if the cached file is older; not timed.
serve; wait_up; stop
startups=()
for i in 1 2 3 4 5; do
  t0=$(date +%s%N)
  serve; wait_up
  startups+=($(( ($(date +%s%N) - t0) / 1000000 )))
  stop
done
startup_max=$(printf '%s\n' "${startups[@]}" | sort -n | tail -1)
echo "runs (ms): ${startups[*]}"

echo "== pages =="
serve; wait_up
sleep 1
idle=$(rss "$pid" VmRSS)
args=(-url "http://$addr" -n "${N:-30}" -c "${C:-1}" -max-time "${MAX_TIME:-30m}" -routes "$work/routes.txt" -out "$work/table.md")
if [ -n "${USERS:-}" ]; then args+=(-users "$USERS"); fi
if [ -n "${JUDGE:-}" ]; then args+=(-judge "$JUDGE"); fi
# BUDGETS replaces pagebench's budgets, such as "-budget-page 100ms".
if [ -n "${BUDGETS:-}" ]; then read -r -a extra <<<"$BUDGETS"; args+=("${extra[@]}"); fi
if [ "${FAIL:-0}" = 1 ]; then args+=(-fail); fi
if [ -n "${JSON:-}" ]; then args+=(-json "$JSON"); fi
rc=0
"${bench_pin[@]}" "$work/pagebench" "${args[@]}" || rc=$?
if [ ! -s "$work/table.md" ]; then echo "pagebench failed (exit $rc)" >&2; exit 1; fi
after=$(rss "$pid" VmRSS)
peak=$(rss "$pid" VmHWM)
stop

verdict() { awk -v v="$1" -v b="$2" 'BEGIN { print (v + 0 < b + 0) ? "OK" : "OVER" }'; }
{
  echo "# Cadran page benchmark (SQLite, one core)"
  echo
  echo "Database $db ($(du -h "$db" | cut -f1); generated with -scale $scale unless it already existed), $(./bin/cadran version), $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, server pinned to core 0 with GOMAXPROCS=1."
  echo
  echo "| Figure | Value | Budget | Result |"
  echo "|---|--:|--:|---|"
  echo "| start-up to first /healthz, 5 runs (ms) | ${startups[*]} | 1000 | $(verdict "$startup_max" 1000) |"
  echo "| resident memory idle (MiB) | $idle | 150 | $(verdict "$idle" 150) |"
  echo "| resident memory after the run (MiB) | $after | 150 | $(verdict "$after" 150) |"
  echo "| peak resident memory, VmHWM (MiB) | $peak | 150 | $(verdict "$peak" 150) |"
  echo
  sed -e 's/^## /### /' -e 's/^# Page benchmark/## Pages and API/' "$work/table.md"
} >"$out"

echo "start-up (ms): ${startups[*]}; memory (MiB): idle $idle, after $after, peak $peak"
sed -n '/^### Summary/,/^|/p' "$out" | grep '^- '
echo "report: $out"

if [ "${FAIL:-0}" = 1 ]; then
  if [ "$startup_max" -ge 1000 ]; then rc=1; fi
  # Memory fails the run only with FAIL_MEMORY=1: the peak is still over
  # the budget (issue 13 is open on it), and CI must stay able to catch
  # the page regressions meanwhile.
  if [ "${FAIL_MEMORY:-0}" = 1 ] && [ "$(verdict "$peak" 150)" = OVER ]; then rc=1; fi
  exit "$rc"
fi
