#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for tests and for trying `--db` by hand.
#
#   scripts/postgres-test-server.sh start    → prints DB_URL=… and PGDIR=… (a fresh temp dir)
#   scripts/postgres-test-server.sh stop DIR → stops that server and removes DIR
# Exit code 4: the server binaries are not installed.
#
# Uses Debian's `postgresql` server binaries (scripts/install-system-deps.sh postgresql).
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system
# user the package creates. Trust authentication, listening on 127.0.0.1 only, on a free port.
set -euo pipefail

find_bindir() {
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(command -v pg_ctl)"; return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  echo "PostgreSQL server binaries not found: run scripts/install-system-deps.sh postgresql" >&2
  exit 4
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bindir dir port
  bindir=$(find_bindir) || exit 4
  # As root the server user must be able to reach the folder: /tmp, not a private $TMPDIR.
  if [ "$(id -u)" -eq 0 ]; then dir=$(mktemp -d /tmp/pg-test.XXXXXX)
  else dir=$(mktemp -d "${TMPDIR:-/tmp}/pg-test.XXXXXX"); fi
  chmod 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_server_user "$bindir/initdb" -D "$dir/data" -U pipeline --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # A port could be taken between choosing it and binding it: try a few.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" >/dev/null 2>&1; then
      echo "DB_URL=postgresql://pipeline@127.0.0.1:$port/postgres"
      echo "PGDIR=$dir"
      return
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
}

stop() {
  local dir=${1:?usage: $0 stop DIR}
  [ -d "$dir/data" ] || { echo "no server data in $dir" >&2; exit 1; }
  as_server_user "$(find_bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
