#!/usr/bin/env bash
# Benchmarks the service against its own ceilings, in one run, on this machine:
#   - framework ceiling: GET /health/live of the same binary;
#   - database ceiling: the SQL statements one request runs (token lookup
#     included), issued without HTTP: pgbench for PostgreSQL, and
#     examples/sqlite_ceiling.rs (the service's own driver and pool) for SQLite;
#   - the service: POST (set), GET and PUT of the integration.
# Ratios are taken inside one run because the machine is shared and noisy.
# Writes docs/BENCHMARKS.md and docs/benchmarks.png. Loopback only, every load
# point bounded in time. Not part of the tests or of .ci/run.
#
# Needs: cargo, wrk, pgbench + psql (PostgreSQL on 127.0.0.1:5432, user
# postgres, trust auth), gnuplot, jq, curl, python3.
#   apt-get install wrk gnuplot-nox jq curl postgresql-client
# Knobs (environment): BENCH_DURATION (s per point, 10), BENCH_CONNECTIONS
# ("1 16 64"), BENCH_INSTANCES (64), BENCH_BACKENDS ("sqlite postgres"),
# BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_PORT (a free one),
# BENCH_LABEL (a title for the run), BENCH_OUT (docs), BENCH_RUST_LOG (warn),
# BENCH_BASELINE (bench/baseline.tsv: the run to compare with) and
# BENCH_BASELINE_LABEL (what that run was), BENCH_KEEP
# (keep the work folder with the wrk, pgbench and service logs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-"1 16 64"}
INSTANCES=${BENCH_INSTANCES:-64}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
# A free port by default: another service on this machine must never be
# the one measured.
PORT=${BENCH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
OUT=${BENCH_OUT:-docs}
LABEL=${BENCH_LABEL:-}
# A former run's results to compare with (the report's "before and after").
BASELINE=${BENCH_BASELINE:-bench/baseline.tsv}
# The access log is written at info; at warn the run measures the service,
# not the speed of the terminal or disk that takes its log.
SERVICE_LOG=${BENCH_RUST_LOG:-warn}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
ADMIN=bench-admin-token
BASE=http://127.0.0.1:$PORT

for tool in cargo wrk pgbench psql gnuplot jq curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (see the header of $0)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/chatwoot-bench.XXXXXX)
RESULTS=$WORK/results.tsv
PG_DB=bench_$$_$RANDOM
SERVICE_PID=

cleanup() {
  if [[ -n $SERVICE_PID ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  psql "$PG/postgres" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  [[ -n ${BENCH_KEEP:-} ]] && echo "bench: kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------- build
log "building the release binary and the SQLite ceiling"
cargo build --release --locked --bin chatwoot-integration --example sqlite_ceiling >&2
# Copies, so a build during the run cannot change what is measured.
cp "$TARGET/release/chatwoot-integration" "$TARGET/release/examples/sqlite_ceiling" "$WORK/"
BIN=$WORK/chatwoot-integration
CEILING=$WORK/sqlite_ceiling

# pgbench threads: one per core at most, never more than connections.
threads_for() { local c=$1 n; n=$(nproc); ((c < n)) && echo "$c" || echo "$n"; }

# one result line: backend kind connections rps p50_ms p99_ms non2xx errors
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# ---------------------------------------------------------------- service
READY_MS=
start_service() { # url; sets SERVICE_PID and READY_MS (not in a subshell: the pid must survive)
  local url=$1 t0 t1
  t0=$(date +%s%N)
  DATABASE_URL=$url LISTEN_ADDR=127.0.0.1:$PORT ADMIN_TOKEN=$ADMIN CHATWOOT_VERIFY=false \
    RUST_LOG=$SERVICE_LOG "$BIN" serve >>"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  # Poll fast: the figure is the time until the first 200, so the poll
  # interval is its resolution.
  for _ in $(seq 1 2000); do
    # Ours only: a process that failed to bind is no longer alive.
    if curl -fs -o /dev/null --max-time 1 "$BASE/health/ready" && kill -0 "$SERVICE_PID" 2>/dev/null; then
      t1=$(date +%s%N)
      READY_MS=$(((t1 - t0) / 1000000))
      return 0
    fi
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log" >&2; exit 1; }
    sleep 0.002
  done
  log "the service did not become ready"; exit 1
}

stop_service() {
  kill -TERM "$SERVICE_PID"
  wait "$SERVICE_PID" || true
  SERVICE_PID=
}

rss_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVICE_PID/status"; }

create_instances() { # file
  : >"$1"
  for i in $(seq 1 "$INSTANCES"); do
    curl -fs -X POST "$BASE/api/v2/instance" -H "Authorization: Bearer $ADMIN" \
      -H 'Content-Type: application/json' -d "{\"name\":\"bench-$i\"}" |
      jq -r '.instanceId + " " + .token' >>"$1"
    # Every instance gets its integration now, so GET and PUT find one.
    read -r id token < <(tail -n 1 "$1")
    curl -fs -o /dev/null -X POST "$BASE/api/v2/instance/$id/chatwoot-integration" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"accountId":1,"chatwootURL":"https://chat.example.com","chatwootAccessToken":"t"}'
  done
}

# ---------------------------------------------------------------- load points
wrk_point() { # backend kind connections [hot]
  local backend=$1 kind=$2 c=$3 hot=${4:-0} out line threads
  # PUT: one wrk thread per connection, so no two connections ever update
  # one instance at once (see bench/wrk.lua). Everything else overlaps
  # harmlessly (a set is one atomic upsert, never a conflict), so it gets one
  # thread per core like pgbench: 64 wrk threads on 2 cores had cost the
  # framework ceiling a third of its throughput (29-35k against 43-48k
  # requests/s).
  case $kind in put) threads=$c ;; *) threads=$(threads_for "$c") ;; esac
  out=$(BENCH_KIND=$kind BENCH_TOKENS=$WORK/tokens BENCH_HOT=$hot BENCH_PER_THREAD=$((c / threads)) \
    wrk -t "$threads" -c "$c" -d "${DURATION}s" --timeout 5s -s bench/wrk.lua "$BASE")
  echo "$out" >>"$WORK/wrk.log"
  line=$(echo "$out" | sed -n 's/^BENCH //p')
  [[ $hot == 1 ]] && kind=$kind-hot
  record "$backend" "$kind" "$c" \
    "$(jq -r '.requests / (.duration_us / 1e6) | floor' <<<"$line")" \
    "$(jq -r '.p50_us / 1000' <<<"$line")" "$(jq -r '.p99_us / 1000' <<<"$line")" \
    "$(jq -r .non2xx <<<"$line")" "$(jq -r .socket_errors <<<"$line")"
  log "$backend $kind c=$c: $line"
}

pgbench_point() { # kind(set|get) connections [hot]
  local kind=$1 c=$2 hot=${3:-0} n=$INSTANCES out tps failed p50 p99
  [[ $hot == 1 ]] && n=1
  rm -f "$WORK"/pgl*
  out=$(pgbench -n -M prepared -f "bench/sql/postgres-$kind.sql" -D "n=$n" -D ready=0 -c "$c" \
    -j "$(threads_for "$c")" -T "$DURATION" -l --log-prefix="$WORK/pgl" "$PG/$PG_DB" 2>&1)
  echo "$out" >>"$WORK/pgbench.log"
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | head -n 1)
  failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
  # Third field of the per-transaction log: latency in microseconds.
  read -r p50 p99 < <(cat "$WORK"/pgl* | awk '{ print $3 }' | sort -n |
    awk '{ a[NR] = $1 } END { print a[int(NR * 0.50) + 1] / 1000, a[int(NR * 0.99) + 1] / 1000 }')
  [[ $hot == 1 ]] && kind=$kind-hot
  record postgres "db-$kind" "$c" "${tps%.*}" "$p50" "$p99" 0 "${failed:-0}"
  log "postgres db-$kind c=$c: tps=$tps p50=$p50 p99=$p99 failed=${failed:-0}"
}

sqlite_ceiling_point() { # kind connections url [hot]
  local kind=$1 c=$2 url=$3 hot=${4:-0} line
  line=$(DATABASE_URL=$url BENCH_HOT=$hot "$CEILING" "$kind" "$c" "$DURATION")
  [[ $hot == 1 ]] && kind=$kind-hot
  record sqlite "db-$kind" "$c" \
    "$(jq -r '.requests / (.duration_us / 1e6) | floor' <<<"$line")" \
    "$(jq -r '.p50_us / 1000' <<<"$line")" "$(jq -r '.p99_us / 1000' <<<"$line")" \
    0 "$(jq -r .errors <<<"$line")"
  log "sqlite db-$kind c=$c: $line"
}

ceiling_point() { # backend kind connections url [hot]
  if [[ $1 == postgres ]]; then pgbench_point "$2" "$3" "${5:-0}"; else sqlite_ceiling_point "$2" "$3" "$4" "${5:-0}"; fi
}

# ---------------------------------------------------------------- one backend
run_backend() { # backend
  local backend=$1 url ready idle
  if [[ $backend == postgres ]]; then
    psql "$PG/postgres" -qAtc "CREATE DATABASE $PG_DB" >/dev/null
    url=$PG/$PG_DB
  else
    url=sqlite://$WORK/bench.sqlite
  fi
  start_service "$url"
  ready=$READY_MS
  record "$backend" ready-ms 0 "$ready" 0 0 0 0
  create_instances "$WORK/tokens"
  sleep 1
  idle=$(rss_kib VmRSS)
  record "$backend" idle-rss-kib 0 "$idle" 0 0 0 0
  log "$backend: ready in $ready ms, idle RSS $idle KiB, $INSTANCES instances"
  # Each database ceiling before and after its service point (the report
  # takes the mean): the machine's speed drifts during a run.
  for c in $CONNECTIONS; do
    wrk_point "$backend" live "$c"
    ceiling_point "$backend" set "$c" "$url"
    wrk_point "$backend" set "$c"
    ceiling_point "$backend" set "$c" "$url"
    ceiling_point "$backend" get "$c" "$url"
    wrk_point "$backend" get "$c"
    ceiling_point "$backend" get "$c" "$url"
    wrk_point "$backend" put "$c"
  done
  # One hot row: every request of every connection on one instance.
  local top=${CONNECTIONS##* }
  ceiling_point "$backend" set "$top" "$url" 1
  wrk_point "$backend" set "$top" 1
  record "$backend" peak-rss-kib 0 "$(rss_kib VmHWM)" 0 0 0 0
  record "$backend" after-rss-kib 0 "$(rss_kib VmRSS)" 0 0 0 0
  stop_service
  if [[ $backend == postgres ]]; then
    psql "$PG/postgres" -qAtc "DROP DATABASE $PG_DB WITH (FORCE)" >/dev/null
  fi
}

: >"$RESULTS"
for backend in $BACKENDS; do run_backend "$backend"; done

# ---------------------------------------------------------------- report
mkdir -p "$OUT"
python3 bench/report.py "$RESULTS" "$OUT" "$DURATION" "$CONNECTIONS" "$INSTANCES" "$LABEL" "$SERVICE_LOG" "$BASELINE"
cp "$RESULTS" "$OUT/benchmarks.tsv"
log "wrote $OUT/BENCHMARKS.md, $OUT/benchmarks.png and $OUT/benchmarks.tsv"
