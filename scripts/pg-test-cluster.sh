#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for newscrawl's tests, from the machine's
# own server binaries (Debian's postgresql package: /usr/lib/postgresql/*/bin).
#
#   scripts/pg-test-cluster.sh start        # prints the connection URL
#   scripts/pg-test-cluster.sh stop URL     # stops it and removes its folder
#
# The cluster lives in a temporary folder (initdb as an unprivileged user:
# `postgres` when it exists, else `nobody`, or yourself when not root),
# listens on a free port of 127.0.0.1 only (and a Unix socket in its folder),
# trusts local connections for user `newscrawl`, and runs without fsync
# (a test cluster: nothing in it is worth a sync). When no server binaries
# are found and apt-get is at hand as root, the postgresql package is
# installed first.
set -euo pipefail

find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
  fi
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "pg-test-cluster: installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 ||
      { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
    bin=$(find_bin)
  fi
  if [ -z "$bin" ]; then
    echo "pg-test-cluster: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin" >&2
    exit 1
  fi
  owner=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    owner=nobody
    id postgres >/dev/null 2>&1 && owner=postgres
  fi
  local tries port dir
  for tries in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 30000))
    dir="${TMPDIR:-/tmp}/newscrawl-pg-$port"
    [ -e "$dir" ] && continue
    mkdir -p "$dir"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U newscrawl --auth=trust -E UTF8 \
      --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      echo "postgres://newscrawl@127.0.0.1:$port/postgres"
      return 0
    fi
    # Most likely the port was taken: try another.
    tail -n 5 "$dir/server.log" >&2 || true
    rm -rf "$dir"
  done
  echo "pg-test-cluster: could not start a cluster" >&2
  exit 1
}

stop() {
  local url=${1:?usage: pg-test-cluster.sh stop URL}
  local port=${url##*:}
  port=${port%%/*}
  local dir="${TMPDIR:-/tmp}/newscrawl-pg-$port"
  [ -d "$dir/data" ] || { echo "pg-test-cluster: no cluster in $dir" >&2; exit 1; }
  local bin
  bin=$(find_bin)
  owner=$(stat -c %U "$dir")
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop URL" >&2; exit 2 ;;
esac
