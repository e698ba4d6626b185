#!/usr/bin/env bash
# The national deployment on PostgreSQL: many generated institutions, three
# stateless `cadran serve` processes on loopback sharing one database, and
# cmd/usersim simulating people who browse and file proposals through them.
# Half-way through, one process is killed with SIGKILL and started again.
# Afterwards the script checks that every proposal the servers acknowledged
# is in the database, that no reminder went out twice, and prints figures.
#
#   scripts/bench-national.sh                 # 3,000 institutions, 300 people, 10 minutes
#   INSTITUTIONS=100 USERS=50 DURATION=1m scripts/bench-national.sh
#
# Environment: INSTITUTIONS (3000), ISCALE (size of each, small), WORKERS
# (institutions generated at once, 4), USERS (300),
# DURATION (10m), THINK (3s), PGURL (an existing server's database URL; by
# default a throw-away cluster kept in $PGDATA_DIR so the generated data is
# reused by the next run), OUT (report file).
set -euo pipefail
cd "$(dirname "$0")/.."
INSTITUTIONS=${INSTITUTIONS:-3000}
ISCALE=${ISCALE:-small}
USERS=${USERS:-300}
DURATION=${DURATION:-10m}
THINK=${THINK:-3s}
PGPORT=${PGPORT:-15433}
PGDATA_DIR=${PGDATA_DIR:-/tmp/cadran-national-pg}
OUT=${OUT:-/tmp/cadran-national.md}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

make -s build
go build -o "$work/usersim" ./cmd/usersim

# PostgreSQL: an existing server, or a local cluster (run as postgres when we
# are root, since PostgreSQL refuses to run as root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -z "${PGURL:-}" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ ! -d "$PGDATA_DIR" ]; then
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"
    as_pg "$bin/initdb" -D "$PGDATA_DIR" -U cadran --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w start \
      -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB" >/dev/null
  fi
  psql -h 127.0.0.1 -p "$PGPORT" -U cadran -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'cadran'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PGPORT" -U cadran -d postgres -qc "CREATE DATABASE cadran"
  PGURL="postgres://cadran@127.0.0.1:$PGPORT/cadran?sslmode=disable"
fi
sql() { psql "$PGURL" -tAc "$1"; }

echo "== generating $INSTITUTIONS institutions ($ISCALE) =="
t0=$(date +%s)
./bin/cadran generate -database "$PGURL" -institutions "$INSTITUTIONS" -institution-scale "$ISCALE" -workers "${WORKERS:-4}" --log-level warn
echo "generated (or found) in $(( $(date +%s) - t0 )) s; database size $(sql "SELECT pg_size_pretty(pg_database_size(current_database()))")"
echo "institutions $(sql 'SELECT COUNT(*) FROM institutions'), users $(sql 'SELECT COUNT(*) FROM users'), petitions $(sql 'SELECT COUNT(*) FROM citizen_cases' 2>/dev/null || echo '?'), audit events $(sql 'SELECT COUNT(*) FROM audit_events')"

ports=(8081 8082 8083)
start() { # start the i-th process
  local i=$1
  CADRAN_DATABASE="$PGURL" ./bin/cadran serve --addr "127.0.0.1:${ports[$i]}" --log-level warn >>"$work/serve$i.log" 2>&1 &
  pids[$i]=$!
}
for i in 0 1 2; do start $i; done
for p in "${ports[@]}"; do until curl -fs "http://127.0.0.1:$p/healthz" >/dev/null 2>&1; do sleep 0.1; done; done
echo "== 3 processes up: ${pids[*]} =="

notices_before=$(sql "SELECT COUNT(*) FROM notices_sent")
urls=$(printf 'http://127.0.0.1:%s,' "${ports[@]}"); urls=${urls%,}
run=$(date +%H%M%S)
"$work/usersim" -urls "$urls" -institutions "$INSTITUTIONS" -c "$USERS" -duration "$DURATION" -think "$THINK" \
  -run "$run" -acked "$work/acked.txt" -out "$OUT" >"$work/usersim.out" 2>&1 &
sim=$!

# Half-way through, kill the second process mid-run, then start it again.
case $DURATION in
  *m) secs=$(( ${DURATION%m} * 60 )) ;;
  *s) secs=${DURATION%s} ;;
  *) echo "DURATION is minutes (10m) or seconds (90s)"; exit 2 ;;
esac
sleep $(( secs / 2 ))
echo "== killing process 2 (pid ${pids[1]}) with SIGKILL =="
kill -9 "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
sleep 15
start 1
echo "== process 2 started again (pid ${pids[1]}) =="
status=0
wait $sim || status=$?
cat "$work/usersim.out"

echo "== checks =="
acked=$(grep -c . "$work/acked.txt" || true)
stored=$(sql "SELECT COUNT(*) FROM improvement_proposals WHERE title LIKE 'Propunere simulată $run-%'")
echo "proposals acknowledged $acked, stored $stored (in-doubt writes may add to the stored count)"
missing=0
while IFS= read -r title; do
  [ -z "$title" ] && continue
  n=$(psql "$PGURL" -tA -v t="$title" <<<"SELECT COUNT(*) FROM improvement_proposals WHERE title = :'t'")
  [ "$n" = 1 ] || { echo "MISSING: $title"; missing=$((missing + 1)); }
done <"$work/acked.txt"
echo "acknowledged proposals missing from the database: $missing"
dups=$(sql "SELECT COUNT(*) FROM (SELECT user_id, event, task_id, CAST(created_at AS DATE) FROM notifications WHERE event IN ('reminder', 'overdue') GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1) d")
echo "reminders sent during the run: $(( $(sql "SELECT COUNT(*) FROM notices_sent") - notices_before )); people who got the same reminder twice: $dups"
echo "peak resident memory of each process: $(for p in "${pids[@]}"; do awk '/VmHWM/ {printf "%.0f MiB ", $2/1024}' /proc/$p/status 2>/dev/null; done)"
[ "$missing" = 0 ] && [ "$dups" = 0 ] && [ "$status" = 0 ]
