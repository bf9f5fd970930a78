#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on loopback for the `postgres`-marked tests and print its URL.
#
#   export KIOSK_TEST_PG_URL=$(scripts/start-test-postgres.sh)   # then: pytest -m postgres
#   scripts/start-test-postgres.sh --stop DIR                     # stop a cluster (DIR is printed on stderr)
#
# Needs initdb/pg_ctl/postgres on PATH (or `apt-get install postgresql` and PG_BIN=/usr/lib/postgresql/NN/bin).
# PostgreSQL refuses to run as root: as root, the cluster runs as the user "kioskpg" (created if missing).
set -euo pipefail

PG_BIN=${PG_BIN:-$(dirname "$(command -v initdb 2>/dev/null || echo /usr/lib/postgresql/bin/initdb)")}
RUN_USER=${KIOSK_PG_USER:-kioskpg}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$RUN_USER" -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  as_owner "$PG_BIN/pg_ctl" -D "$2/data" -m fast stop >/dev/null
  rm -rf "$2"
  exit 0
fi

[ -x "$PG_BIN/initdb" ] || { echo "initdb not found (set PG_BIN)" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ] && ! id "$RUN_USER" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
fi

DIR=$(mktemp -d /tmp/kiosk-pg.XXXXXX)
chmod 755 "$DIR"
[ "$(id -u)" -eq 0 ] && chown "$RUN_USER" "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

as_owner "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || as_owner "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1
as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off" start >/dev/null

echo "cluster in $DIR (stop: $0 --stop $DIR)" >&2
echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
