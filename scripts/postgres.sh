#!/usr/bin/env bash
# A PostgreSQL server of your own for judge (Debian's `postgresql` package: scripts/bootstrap.sh --test
# installs it): a cluster in DIR, listening on 127.0.0.1:PORT, superuser `judge`, a database `judge`.
#
#   scripts/postgres.sh start DIR [PORT]   prints the store URL: postgres://judge@127.0.0.1:PORT/judge
#   scripts/postgres.sh stop DIR
#
# initdb and postgres refuse to run as root; as root the cluster belongs to Debian's unprivileged
# `postgres` user ($JUDGE_PG_USER names another) and both run through `setpriv`. Logins from loopback
# are trusted (a server for one machine); a team's shared server is set up as README.md says.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 64; }
bin="${JUDGE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$bin/initdb" ] || { echo "postgres.sh: no PostgreSQL server binaries; run scripts/bootstrap.sh --test (Debian's postgresql)" >&2; exit 1; }
as_owner=()
if [ "$(id -u)" = 0 ]; then
  owner="${JUDGE_PG_USER:-postgres}"
  as_owner=(setpriv --reuid="$owner" --regid="$owner" --clear-groups --)
fi
case "$cmd" in
  start)
    port="${3:-55432}"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    [ "$(id -u)" = 0 ] && chown -R "$owner" "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U judge --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >&2
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U judge judge 2>/dev/null || true
    echo "postgres://judge@127.0.0.1:$port/judge"
    ;;
  stop)
    "${as_owner[@]}" "$bin/pg_ctl" -D "$(cd "$dir" && pwd)/data" -m fast -w stop >&2
    ;;
  *) echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 64 ;;
esac
