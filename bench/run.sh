#!/usr/bin/env bash
# Benchmarks the service against its own ceilings, in one run, on this machine:
#   - framework ceiling: GET /health/live of the same binary;
#   - database ceiling: the SQL statements one request runs (token lookup
#     included), issued without HTTP by tools that share nothing with the
#     service: pgbench for PostgreSQL, bench/sqlite_ceiling.c (a small C
#     program over libsqlite3) for SQLite;
#   - the service: POST (set), GET and PUT of the integration;
#   - optionally a second, baseline build of the service, measured point by
#     point beside the candidate in the same run (BENCH_BASELINE_REV or
#     BENCH_BASELINE_BIN), so before and after share the machine's state.
# Ratios are taken inside one run because the machine is shared and noisy.
# Writes docs/BENCHMARKS.md, docs/benchmarks.png and docs/benchmarks.tsv.
# Loopback only, every load point bounded in time. Not part of the tests or
# of .ci/run.
#
# Needs: cargo, gcc with libsqlite3, wrk, pgbench + psql (PostgreSQL on
# 127.0.0.1:5432, user postgres, trust auth), gnuplot, jq, curl, python3.
#   apt-get install wrk gnuplot-nox jq curl postgresql-client gcc libsqlite3-dev
# Knobs (environment): BENCH_DURATION (s per point, 10), BENCH_CONNECTIONS
# ("1 16 64"), BENCH_INSTANCES (64), BENCH_BACKENDS ("sqlite postgres"),
# BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_LABEL (a title for the
# run), BENCH_OUT (docs), BENCH_RUST_LOG (warn), BENCH_KEEP (keep the work
# folder with the wrk, pgbench and service logs);
# BENCH_BASELINE_REV (a commit: built in a temporary worktree, with the
# target folder BENCH_BASELINE_TARGET, default target/bench-baseline) or
# BENCH_BASELINE_BIN (a built binary), and BENCH_BASELINE_LABEL.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-"1 16 64"}
INSTANCES=${BENCH_INSTANCES:-64}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
OUT=${BENCH_OUT:-docs}
LABEL=${BENCH_LABEL:-}
# The access log is written at info; at warn the run measures the service,
# not the speed of the terminal or disk that takes its log.
SERVICE_LOG=${BENCH_RUST_LOG:-warn}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BASELINE_REV=${BENCH_BASELINE_REV:-}
BASELINE_BIN=${BENCH_BASELINE_BIN:-}
BASELINE_TARGET=${BENCH_BASELINE_TARGET:-$TARGET/bench-baseline}
ADMIN=bench-admin-token

for tool in cargo gcc wrk pgbench psql gnuplot jq curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (see the header of $0)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/chatwoot-bench.XXXXXX)
RESULTS=$WORK/results.tsv
PG_DB=bench_$$_$RANDOM
declare -A BIN PORT PID URL
BUILDS=(candidate)

cleanup() {
  local b
  for b in "${!PID[@]}"; do
    if kill -0 "${PID[$b]}" 2>/dev/null; then
      kill -TERM "${PID[$b]}" 2>/dev/null || true
      wait "${PID[$b]}" 2>/dev/null || true
    fi
  done
  for b in candidate baseline; do
    psql "$PG/postgres" -qAtc "DROP DATABASE IF EXISTS ${PG_DB}_$b WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if [[ -d $WORK/baseline-src ]]; then
    git worktree remove --force "$WORK/baseline-src" 2>/dev/null || true
  fi
  [[ -n ${BENCH_KEEP:-} ]] && echo "bench: kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------- builds
# Copies, so a build during the run cannot change what is measured.
log "building the release binary and the SQLite ceiling"
cargo build --release --locked --bin chatwoot-integration >&2
cp "$TARGET/release/chatwoot-integration" "$WORK/candidate"
BIN[candidate]=$WORK/candidate
gcc -O2 -o "$WORK/sqlite_ceiling" bench/sqlite_ceiling.c -lsqlite3 -lpthread
CEILING=$WORK/sqlite_ceiling
export BENCH_SQLITE_VERSION
BENCH_SQLITE_VERSION=$("$CEILING" --version)

BASELINE_DESC=
if [[ -n $BASELINE_BIN ]]; then
  cp "$BASELINE_BIN" "$WORK/baseline"
  BASELINE_DESC=${BENCH_BASELINE_LABEL:-the binary $BASELINE_BIN}
elif [[ -n $BASELINE_REV ]]; then
  rev=$(git rev-parse --short "$BASELINE_REV")
  log "building the baseline $rev in a worktree of its own (target: $BASELINE_TARGET)"
  git worktree add --detach "$WORK/baseline-src" "$rev" >&2
  # The first time, start from our own build: the dependencies both
  # commits share are then not built again.
  if [[ ! -d $BASELINE_TARGET/release && -d $TARGET/release ]]; then
    mkdir -p "$BASELINE_TARGET"
    cp -a "$TARGET/release" "$BASELINE_TARGET/"
  fi
  (cd "$WORK/baseline-src" && CARGO_TARGET_DIR=$BASELINE_TARGET cargo build --release --locked --bin chatwoot-integration >&2)
  cp "$BASELINE_TARGET/release/chatwoot-integration" "$WORK/baseline"
  BASELINE_DESC=${BENCH_BASELINE_LABEL:-commit $rev}
fi
if [[ -n $BASELINE_DESC ]]; then
  BIN[baseline]=$WORK/baseline
  BUILDS+=(baseline)
fi

# A free port each by default: another service on this machine must never
# be the one measured.
read -r PORT[candidate] PORT[baseline] < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

# pgbench threads: one per core at most, never more than connections.
threads_for() { local c=$1 n; n=$(nproc); ((c < n)) && echo "$c" || echo "$n"; }

# one result line: build backend kind connections rps p50_ms p99_ms non2xx errors
# (build "-" for the ceilings, which both builds share)
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# ---------------------------------------------------------------- service
READY_MS=
start_service() { # build url; sets PID[build] and READY_MS (not in a subshell: the pid must survive)
  local b=$1 url=$2 t0 t1 base=http://127.0.0.1:${PORT[$1]}
  t0=$(date +%s%N)
  DATABASE_URL=$url LISTEN_ADDR=127.0.0.1:${PORT[$b]} ADMIN_TOKEN=$ADMIN CHATWOOT_VERIFY=false \
    RUST_LOG=$SERVICE_LOG "${BIN[$b]}" serve >>"$WORK/service-$b.log" 2>&1 &
  PID[$b]=$!
  # Poll fast: the figure is the time until the first 200, so the poll
  # interval is its resolution.
  for _ in $(seq 1 2000); do
    # Ours only: a process that failed to bind is no longer alive.
    if curl -fs -o /dev/null --max-time 1 "$base/health/ready" && kill -0 "${PID[$b]}" 2>/dev/null; then
      t1=$(date +%s%N)
      READY_MS=$(((t1 - t0) / 1000000))
      return 0
    fi
    kill -0 "${PID[$b]}" 2>/dev/null || { cat "$WORK/service-$b.log" >&2; exit 1; }
    sleep 0.002
  done
  log "the $b service did not become ready"; exit 1
}

stop_service() { # build
  kill -TERM "${PID[$1]}"
  wait "${PID[$1]}" || true
  unset "PID[$1]"
}

rss_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/${PID[$1]}/status"; } # build VmRSS|VmHWM

create_instances() { # build
  local b=$1 file=$WORK/tokens-$1 base=http://127.0.0.1:${PORT[$1]} id token
  : >"$file"
  for i in $(seq 1 "$INSTANCES"); do
    curl -fs -X POST "$base/api/v2/instance" -H "Authorization: Bearer $ADMIN" \
      -H 'Content-Type: application/json' -d "{\"name\":\"bench-$i\"}" |
      jq -r '.instanceId + " " + .token' >>"$file"
    # Every instance gets its integration now, so GET and PUT find one.
    read -r id token < <(tail -n 1 "$file")
    curl -fs -o /dev/null -X POST "$base/api/v2/instance/$id/chatwoot-integration" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"accountId":1,"chatwootURL":"https://chat.example.com","chatwootAccessToken":"t"}'
  done
  # In the order pgbench and sqlite_ceiling pick instances (ORDER BY id),
  # so that all three give an instance the same inbox (its position).
  LC_ALL=C sort -o "$file" "$file"
}

# ---------------------------------------------------------------- load points
wrk_point() { # build backend kind connections [hot]
  local b=$1 backend=$2 kind=$3 c=$4 hot=${5:-0} out line threads
  # PUT: one wrk thread per connection, so no two connections ever update
  # one instance at once (see bench/wrk.lua). Everything else overlaps
  # harmlessly (a set is one atomic upsert, never a conflict), so it gets one
  # thread per core like pgbench.
  case $kind in put) threads=$c ;; *) threads=$(threads_for "$c") ;; esac
  out=$(BENCH_KIND=$kind BENCH_TOKENS=$WORK/tokens-$b BENCH_HOT=$hot BENCH_PER_THREAD=$((c / threads)) \
    wrk -t "$threads" -c "$c" -d "${DURATION}s" --timeout 5s -s bench/wrk.lua "http://127.0.0.1:${PORT[$b]}")
  echo "$out" >>"$WORK/wrk.log"
  line=$(echo "$out" | sed -n 's/^BENCH //p')
  [[ $hot == 1 ]] && kind=$kind-hot
  record "$b" "$backend" "$kind" "$c" \
    "$(jq -r '.requests / (.duration_us / 1e6) | floor' <<<"$line")" \
    "$(jq -r '.p50_us / 1000' <<<"$line")" "$(jq -r '.p99_us / 1000' <<<"$line")" \
    "$(jq -r .non2xx <<<"$line")" "$(jq -r .socket_errors <<<"$line")"
  log "$b $backend $kind c=$c: $line"
}

pgbench_point() { # kind(set|get) connections [hot]
  local kind=$1 c=$2 hot=${3:-0} n=$INSTANCES out tps failed p50 p99
  [[ $hot == 1 ]] && n=1
  rm -f "$WORK"/pgl*
  out=$(pgbench -n -M prepared -f "bench/sql/postgres-$kind.sql" -D "n=$n" -D ready=0 -c "$c" \
    -j "$(threads_for "$c")" -T "$DURATION" -l --log-prefix="$WORK/pgl" "${URL[candidate]}" 2>&1)
  echo "$out" >>"$WORK/pgbench.log"
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | head -n 1)
  failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
  # Third field of the per-transaction log: latency in microseconds.
  read -r p50 p99 < <(cat "$WORK"/pgl* | awk '{ print $3 }' | sort -n |
    awk '{ a[NR] = $1 } END { print a[int(NR * 0.50) + 1] / 1000, a[int(NR * 0.99) + 1] / 1000 }')
  [[ $hot == 1 ]] && kind=$kind-hot
  record - postgres "db-$kind" "$c" "${tps%.*}" "$p50" "$p99" 0 "${failed:-0}"
  log "postgres db-$kind c=$c: tps=$tps p50=$p50 p99=$p99 failed=${failed:-0}"
}

sqlite_ceiling_point() { # kind connections [hot]
  local kind=$1 c=$2 hot=${3:-0} line
  line=$(BENCH_HOT=$hot "$CEILING" "$WORK/candidate.sqlite" "$kind" "$c" "$DURATION")
  [[ $hot == 1 ]] && kind=$kind-hot
  record - sqlite "db-$kind" "$c" \
    "$(jq -r '.requests / (.duration_us / 1e6) | floor' <<<"$line")" \
    "$(jq -r '.p50_us / 1000' <<<"$line")" "$(jq -r '.p99_us / 1000' <<<"$line")" \
    0 "$(jq -r .errors <<<"$line")"
  log "sqlite db-$kind c=$c: $line"
}

ceiling_point() { # backend kind connections [hot]
  if [[ $1 == postgres ]]; then pgbench_point "$2" "$3" "${4:-0}"; else sqlite_ceiling_point "$2" "$3" "${4:-0}"; fi
}

# ---------------------------------------------------------------- one backend
run_backend() { # backend
  local backend=$1 b c order top=${CONNECTIONS##* }
  for b in "${BUILDS[@]}"; do
    if [[ $backend == postgres ]]; then
      psql "$PG/postgres" -qAtc "CREATE DATABASE ${PG_DB}_$b" >/dev/null
      URL[$b]=$PG/${PG_DB}_$b
    else
      URL[$b]=sqlite://$WORK/$b.sqlite
    fi
    start_service "$b" "${URL[$b]}"
    record "$b" "$backend" ready-ms 0 "$READY_MS" 0 0 0 0
    create_instances "$b"
    log "$b on $backend: ready in $READY_MS ms, $INSTANCES instances"
  done
  sleep 1
  for b in "${BUILDS[@]}"; do record "$b" "$backend" idle-rss-kib 0 "$(rss_kib "$b" VmRSS)" 0 0 0 0; done
  # Each database ceiling before and after its service points (the report
  # takes the mean): the machine's speed drifts during a run. The builds
  # take turns going first.
  order=("${BUILDS[@]}")
  for c in $CONNECTIONS; do
    wrk_point candidate "$backend" live "$c"
    for kind in set get; do
      ceiling_point "$backend" "$kind" "$c"
      for b in "${order[@]}"; do wrk_point "$b" "$backend" "$kind" "$c"; done
      ceiling_point "$backend" "$kind" "$c"
    done
    for b in "${order[@]}"; do wrk_point "$b" "$backend" put "$c"; done
    ((${#order[@]} == 2)) && order=("${order[1]}" "${order[0]}")
  done
  # One hot row: every request of every connection on one instance.
  ceiling_point "$backend" set "$top" 1
  for b in "${order[@]}"; do wrk_point "$b" "$backend" set "$top" 1; done
  for b in "${BUILDS[@]}"; do
    record "$b" "$backend" peak-rss-kib 0 "$(rss_kib "$b" VmHWM)" 0 0 0 0
    record "$b" "$backend" after-rss-kib 0 "$(rss_kib "$b" VmRSS)" 0 0 0 0
    stop_service "$b"
    if [[ $backend == postgres ]]; then
      psql "$PG/postgres" -qAtc "DROP DATABASE ${PG_DB}_$b WITH (FORCE)" >/dev/null
    fi
  done
}

: >"$RESULTS"
for backend in $BACKENDS; do run_backend "$backend"; done

# ---------------------------------------------------------------- report
mkdir -p "$OUT"
BENCH_BASELINE_DESC=$BASELINE_DESC python3 bench/report.py "$RESULTS" "$OUT" "$DURATION" "$CONNECTIONS" "$INSTANCES" "$LABEL" "$SERVICE_LOG"
cp "$RESULTS" "$OUT/benchmarks.tsv"
log "wrote $OUT/BENCHMARKS.md, $OUT/benchmarks.png and $OUT/benchmarks.tsv"
