#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `postgres.sh start DIR` (prints the socket folder)
# and `postgres.sh stop DIR`. Debian's `postgresql` package is installed if missing; the cluster
# is made by `initdb` in DIR, owned by the non-root `postgres` user, listening only on a Unix
# socket in DIR/socket. Peer authentication maps each OS login to the role of its name, and root
# (the test runner) to the superuser `postgres`, as a desk machine would.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?folder for the cluster}

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ]; then
    echo "postgres.sh: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    if [ "$(id -u)" = 0 ]; then runner=""; else runner="sudo"; fi
    $runner apt-get update -qq >&2
    $runner apt-get install -y -qq postgresql >&2
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$found"
}

as_postgres() {  # the cluster runs as `postgres` when we are root, else as ourselves
  if [ "$(id -u)" != 0 ] || [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
runner=$( [ "$(id -u)" = 0 ] && echo root || id -un )  # who runs the tests: mapped to the superuser

case "$cmd" in
  start)
    bin=$(bindir)
    mkdir -p "$dir/socket"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      chown -R postgres "$dir"
    fi
    chmod 755 "$dir" "$dir/socket"  # the socket is reachable by every login; the data stays private
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=reject >"$dir/initdb.log" 2>&1
    cat >"$dir/data/pg_hba.conf" <<'HBA'
local   all   all   peer   map=desk
HBA
    printf 'desk   %s   postgres\ndesk   /^(.*)$   \\1\n' "$runner" >"$dir/data/pg_ident.conf"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-k $dir/socket -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2
    echo "$dir/socket"
    ;;
  stop)
    bin=$(bindir)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
