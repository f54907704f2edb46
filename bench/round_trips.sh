#!/usr/bin/env bash
# Counts the statements one request of each kind sends to the database,
# each one round trip: GET, Set, PUT, DELETE and status of an instance's
# integration with its instance token, on PostgreSQL (log_statement = all)
# and MariaDB (the general query log), each a private server started here
# from the installed binaries on a free loopback port. Every request is
# sent once to warm the pool's prepared statements, then once counted.
# SQLite runs the statements of PostgreSQL (only MySQL/MariaDB's writes
# take other paths in crates/infrastructure/src/db/).
#
# Usage: bench/round_trips.sh [BINARY...] (default: this tree's release build)
# Needs: cargo, curl, jq, PostgreSQL's initdb and postgres, MariaDB's
# mariadb-install-db and mariadbd, a user "postgres" and a user "mysql".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ADMIN=round-trips-admin-token

if (($# == 0)); then
  cargo build --release --locked --bin chatwoot-integration >&2
  set -- "${CARGO_TARGET_DIR:-$ROOT/target}/release/chatwoot-integration"
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d /tmp/chatwoot-round-trips.XXXXXX)
chmod 755 "$WORK"
SERVICE=
cleanup() {
  [[ -n $SERVICE ]] && kill -TERM "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null
  [[ -f $WORK/pg/postmaster.pid ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1
  [[ -f $WORK/maria/server.pid ]] && kill -TERM "$(cat "$WORK/maria/server.pid")" 2>/dev/null
  sleep 1
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PG_PORT=$(free_port)
mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c log_statement=all" start >/dev/null

MARIA_PORT=$(free_port)
mkdir -p "$WORK/maria" && chown mysql "$WORK/maria"
runuser -u mysql -- mariadb-install-db --no-defaults --datadir="$WORK/maria/data" \
  --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
runuser -u mysql -- mariadbd --no-defaults --datadir="$WORK/maria/data" --port="$MARIA_PORT" \
  --bind-address=127.0.0.1 --socket="$WORK/maria/server.sock" --pid-file="$WORK/maria/server.pid" \
  --general-log=1 --general-log-file="$WORK/maria/general.log" >"$WORK/maria/server.log" 2>&1 &
for _ in $(seq 1 1200); do grep -q "ready for connections" "$WORK/maria/server.log" 2>/dev/null && break; sleep 0.1; done
mariadb -h 127.0.0.1 -P "$MARIA_PORT" -u root -e "CREATE DATABASE rt" 2>/dev/null ||
  mysql -h 127.0.0.1 -P "$MARIA_PORT" -u root -e "CREATE DATABASE rt"

# Statement lines logged since $2 (a byte offset) in log $1.
count_since() { # log offset backend
  if [[ $3 == postgres ]]; then
    tail -c "+$(($2 + 1))" "$1" | grep -cE 'LOG:  (statement|execute [^ ]*):' || true
  else
    tail -c "+$(($2 + 1))" "$1" | grep -cE '^\s*([0-9: T-]+\s+)?[0-9]+ (Query|Execute)\s' || true
  fi
}

SET_BODY='{"accountId":12,"chatwootURL":"https://chat.example.com","chatwootAccessToken":"t","inbox":3}'
PUT_BODY='{"integrationOptions":{"enabledGroup":true}}'

for bin in "$@"; do
  echo "$bin"
  for backend in postgres mariadb; do
    if [[ $backend == postgres ]]; then
      db=rt_$RANDOM
      "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAtc "CREATE DATABASE $db"
      url=postgres://postgres@127.0.0.1:$PG_PORT/$db log=$WORK/pg/server.log
    else
      mariadb -h 127.0.0.1 -P "$MARIA_PORT" -u root -e "DROP DATABASE rt; CREATE DATABASE rt" 2>/dev/null
      url=mysql://root@127.0.0.1:$MARIA_PORT/rt log=$WORK/maria/general.log
    fi
    port=$(free_port) base=http://127.0.0.1:$port
    # One pooled connection: every request finds its statements prepared.
    DATABASE_URL=$url LISTEN_ADDR=127.0.0.1:$port ADMIN_TOKEN=$ADMIN CHATWOOT_VERIFY=false \
      APP_DATABASE__MAX_CONNECTIONS=1 RUST_LOG=warn "$bin" serve >>"$WORK/service.log" 2>&1 &
    SERVICE=$!
    for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/health/ready" && break; sleep 0.05; done
    read -r id token < <(curl -fs -X POST "$base/api/v2/instance" -H "Authorization: Bearer $ADMIN" \
      -H 'Content-Type: application/json' -d '{"name":"rt"}' | jq -r '.instanceId + " " + .token')
    path=$base/api/v2/instance/$id/chatwoot-integration
    auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
    line=
    for kind in set get put status delete; do
      case $kind in
        set) request=(-X POST "$path" -d "$SET_BODY") ;;
        get) request=("$path") ;;
        put) request=(-X PUT "$path" -d "$PUT_BODY") ;;
        status) request=("$path/status") ;;
        delete) request=(-X DELETE "$path") ;;
      esac
      # DELETE: warmed on a live integration, then set again, then counted.
      curl -s -o /dev/null "${auth[@]}" "${request[@]}"
      [[ $kind == delete ]] && curl -s -o /dev/null "${auth[@]}" -X POST "$path" -d "$SET_BODY"
      sleep 0.3
      offset=$(stat -c %s "$log")
      code=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "${request[@]}")
      sleep 0.3
      line+=" $kind($code)=$(count_since "$log" "$offset" "$backend")"
    done
    echo "  $backend:$line"
    kill -TERM "$SERVICE"; wait "$SERVICE" || true; SERVICE=
  done
done
