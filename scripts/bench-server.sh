#!/usr/bin/env bash
# Measures a running Cadran binary on the demo institution (SQLite): time from
# start to the first served request, resident memory when idle, and people-list
# throughput with cmd/loadgen. Only loopback is used. Figures go to stdout;
# BENCHMARKS.md records them with this command.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=${PORT:-18090}
addr=127.0.0.1:$port
make -s build
go build -o "$work/loadgen" ./cmd/loadgen
db="$work/cadran.db"

# Seed the demo once (the seeding is not part of the start-up figure).
./bin/cadran demo --addr "$addr" --database "$db" >/dev/null 2>&1 &
pid=$!
until curl -fs "http://$addr/healthz" >/dev/null 2>&1; do sleep 0.05; done
kill $pid; wait $pid 2>/dev/null || true

echo "== start-up to first served request (5 runs, ms) =="
for i in 1 2 3 4 5; do
  t0=$(date +%s%N)
  ./bin/cadran serve --addr "$addr" --database "$db" --log-level warn >/dev/null 2>&1 &
  pid=$!
  until curl -fs "http://$addr/healthz" >/dev/null 2>&1; do sleep 0.005; done
  t1=$(date +%s%N)
  echo "run $i: $(( (t1 - t0) / 1000000 )) ms"
  kill $pid; wait $pid 2>/dev/null || true
done

echo "== resident memory =="
./bin/cadran serve --addr "$addr" --database "$db" --log-level warn >/dev/null 2>&1 &
pid=$!
until curl -fs "http://$addr/healthz" >/dev/null 2>&1; do sleep 0.02; done
sleep 1
echo "idle after start: $(ps -o rss= -p $pid | awk '{printf "%.1f MiB", $1/1024}')"

echo "== people list, signed in as admin =="
"$work/loadgen" -url "http://$addr/people" -user admin -n 200 -c 2 >/dev/null
"$work/loadgen" -url "http://$addr/people" -user admin -n ${N:-5000} -c ${C:-4}
"$work/loadgen" -url "http://$addr/people?q=muresan&sort=-name" -user admin -n ${N:-5000} -c ${C:-4}
echo "== my work, signed in as the quality manager (with every overdue task) =="
"$work/loadgen" -url "http://$addr/work" -user calitate -n ${N:-5000} -c ${C:-4}
sleep 1
echo "resident after load: $(ps -o rss= -p $pid | awk '{printf "%.1f MiB", $1/1024}')"
