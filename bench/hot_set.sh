#!/usr/bin/env bash
# One hot instance: wrk holds 64 connections that Set one instance's
# integration, with an inbox, for 10 s, on each backend, and counts the
# answers by status. Every answer should be a 201; the line per backend
# gives the counts, the throughput and the p50, p99 and slowest answer.
# Loopback only, bounded in time. Not part of the tests or of .ci/run.
#
# Needs: cargo, wrk, jq, curl, psql (PostgreSQL as for bench/run.sh).
# Knobs (environment): BENCH_DURATION (s, 10), BENCH_CONNECTIONS (64),
# BENCH_BACKENDS ("sqlite postgres", add mariadb with BENCH_MARIADB),
# BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_MARIADB (the mysql://
# URL of an empty database, used and left as it is), BENCH_BIN (a built
# binary to measure instead of this tree's release build).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${BENCH_DURATION:-10}
C=${BENCH_CONNECTIONS:-64}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
MARIADB=${BENCH_MARIADB:-}
ADMIN=bench-admin-token
DB=hot_set_$$_$RANDOM

for tool in cargo wrk jq curl psql; do
  command -v "$tool" >/dev/null || { echo "hot_set: $tool is missing" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/chatwoot-hot-set.XXXXXX)
PID=
cleanup() {
  [[ -n $PID ]] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  psql "$PG/postgres" -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n ${BENCH_BIN:-} ]]; then
  cp "$BENCH_BIN" "$WORK/service"
else
  cargo build --release --locked --bin chatwoot-integration >&2
  cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/chatwoot-integration" "$WORK/service"
fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

for backend in $BACKENDS; do
  case $backend in
    sqlite) url=sqlite://$WORK/hot.sqlite ;;
    postgres)
      psql "$PG/postgres" -qAtc "CREATE DATABASE $DB" >/dev/null
      url=$PG/$DB ;;
    mariadb)
      [[ -n $MARIADB ]] || { echo "hot_set: mariadb needs BENCH_MARIADB" >&2; exit 1; }
      url=$MARIADB ;;
  esac
  DATABASE_URL=$url LISTEN_ADDR=127.0.0.1:$PORT ADMIN_TOKEN=$ADMIN CHATWOOT_VERIFY=false \
    RUST_LOG=warn "$WORK/service" serve >>"$WORK/service.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 500); do
    curl -fs -o /dev/null --max-time 1 "$BASE/health/ready" && break
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/service.log" >&2; exit 1; }
    sleep 0.02
  done
  # One instance, no integration yet: the first sets race to create it.
  curl -fs -X POST "$BASE/api/v2/instance" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' -d '{"name":"hot"}' |
    jq -r '.instanceId + " " + .token' >"$WORK/tokens"
  out=$(BENCH_KIND=set BENCH_HOT=1 BENCH_STATUSES=1 BENCH_TOKENS=$WORK/tokens BENCH_PER_THREAD=$((C / 2)) \
    wrk -t 2 -c "$C" -d "${DURATION}s" --timeout 5s -s bench/wrk.lua "$BASE")
  line=$(echo "$out" | sed -n 's/^BENCH //p')
  echo "$backend: statuses $(echo "$out" | sed -n 's/^STATUSES //p')" \
    "$(jq -r '"requests \(.requests), \(.requests / (.duration_us / 1e6) | floor)/s, p50 \(.p50_us / 1000) ms, p99 \(.p99_us / 1000) ms, slowest \(.max_us / 1000) ms, socket errors \(.socket_errors)"' <<<"$line")"
  kill -TERM "$PID"; wait "$PID" || true; PID=
  [[ $backend == postgres ]] && psql "$PG/postgres" -qAtc "DROP DATABASE $DB WITH (FORCE)" >/dev/null
done
