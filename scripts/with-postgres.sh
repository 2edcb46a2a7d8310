#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server:
#
#     scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a fresh cluster in a temporary directory, listening on 127.0.0.1 on
# a free port, exports
#
#     TESSERA_POSTGRES_URL=postgres://tessera:tessera@127.0.0.1:PORT/tessera_test
#
# (password auth via SCRAM-SHA-256, no TLS), runs the command, then stops the
# server and removes the directory, on success, failure, INT or TERM alike.
# The command's exit status is the script's exit status.
#
# If TESSERA_POSTGRES_URL is already set, the command runs against that
# server and nothing is started. The server binaries come from
# $TESSERA_PG_BINDIR, else /usr/lib/postgresql/15/bin, else the highest
# /usr/lib/postgresql/*/bin, else initdb on PATH; when none is found they are
# installed with apt-get (as root, or through sudo). PostgreSQL refuses to run
# as root, so as root the server runs as the system user tessera-pg (created
# if absent).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

if [ -n "${TESSERA_POSTGRES_URL:-}" ]; then
    exec "$@"
fi

pg_user=tessera       # database role (bootstrap superuser)
pg_password=tessera   # throwaway test password
pg_database=tessera_test
os_user=tessera-pg    # system user running the server when we are root

die() {
    echo "with-postgres: $*" >&2
    exit 1
}

# --- Server binaries --------------------------------------------------------

find_bindir() {
    local dir
    for dir in "${TESSERA_PG_BINDIR:-}" /usr/lib/postgresql/15/bin \
        $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
        if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"
            return 0
        fi
    done
    if dir=$(command -v initdb 2>/dev/null) && dir=$(dirname "$dir") \
        && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
        echo "$dir"
        return 0
    fi
    return 1
}

install_hint="install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql-15, or apt-get install postgresql; macOS: brew install postgresql@15), or set TESSERA_POSTGRES_URL to an existing server"

if ! bindir=$(find_bindir); then
    echo "with-postgres: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found" >&2
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "with-postgres: installing postgresql with apt-get" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
            || die "apt-get install postgresql failed; $install_hint"
    elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
        echo "with-postgres: installing postgresql with sudo apt-get" >&2
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
            || die "sudo apt-get install postgresql failed; $install_hint"
    else
        die "cannot install it here (not root, no sudo or no apt-get): $install_hint"
    fi
    bindir=$(find_bindir) || die "still no initdb/pg_ctl/postgres after installing postgresql; $install_hint"
fi

psql_bin="$bindir/psql"
[ -x "$psql_bin" ] || psql_bin=$(command -v psql) || die "psql not found; $install_hint"
pg_isready_bin="$bindir/pg_isready"
[ -x "$pg_isready_bin" ] || pg_isready_bin=$(command -v pg_isready || true)

# --- Who runs the server ----------------------------------------------------

as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
    if ! id -u "$os_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$os_user" >/dev/null 2>&1 \
            || useradd -r -M -d /nonexistent -s /bin/false "$os_user" \
            || die "cannot create the system user $os_user (PostgreSQL refuses to run as root)"
    fi
    command -v runuser >/dev/null || die "runuser (util-linux) not found; it is needed to run PostgreSQL as $os_user"
    as_server_user=(runuser -u "$os_user" --)
fi

# --- Cleanup ----------------------------------------------------------------

workdir=""
started=0

cleanup() {
    if [ "$started" -eq 1 ]; then
        (cd "$workdir" && ${as_server_user[@]+"${as_server_user[@]}"} "$bindir/pg_ctl" -D "$workdir/data" \
            stop -m fast -w -t 30 >/dev/null 2>&1) \
            || echo "with-postgres: pg_ctl stop failed; see $workdir/postgres.log" >&2
        started=0
    fi
    if [ -n "$workdir" ] && [ -d "$workdir" ]; then
        rm -rf -- "$workdir"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Cluster ----------------------------------------------------------------

now_ms() {
    local t
    t=$(date +%s%N)
    case "$t" in
        *N) echo $((${t%N} * 1000)) ;; # no %N (BSD date): whole seconds
        *) echo $((t / 1000000)) ;;
    esac
}
start_ms=$(now_ms)

if [ "$(id -u)" -eq 0 ]; then
    # The server user must be able to reach the directory: stay out of a
    # root-only $TMPDIR.
    workdir=$(mktemp -d /tmp/tessera-pg.XXXXXX)
else
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-pg.XXXXXX")
fi
mkdir "$workdir/socket"
printf '%s\n' "$pg_password" >"$workdir/pwfile"
if [ "$(id -u)" -eq 0 ]; then
    chown -R "$os_user:" "$workdir"
fi

# Server commands run from the work directory, so that a cwd the server user
# cannot read (e.g. /root) does not matter.
run_server_cmd() {
    (cd "$workdir" && ${as_server_user[@]+"${as_server_user[@]}"} "$@")
}

run_server_cmd "$bindir/initdb" -D "$workdir/data" -U "$pg_user" --pwfile="$workdir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync \
    >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; die "initdb failed"; }
rm -f "$workdir/pwfile"

cat >>"$workdir/data/postgresql.conf" <<EOF

# with-postgres.sh: a fast throwaway server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$workdir/socket'
password_encryption = 'scram-sha-256'
max_connections = 250
fsync = off
synchronous_commit = off
full_page_writes = off
ssl = off
EOF

port_is_free() {
    # A refused connection means nobody listens there.
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local port
    if command -v python3 >/dev/null \
        && port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) \
        && [ -n "$port" ]; then
        echo "$port"
        return 0
    fi
    for ((port = 54320 + RANDOM % 1000; port < 65000; port++)); do
        if port_is_free "$port"; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# The port may be taken between picking and binding: try a few.
for attempt in 1 2 3 4 5; do
    port=$(pick_port) || die "no free TCP port on 127.0.0.1"
    if run_server_cmd "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/postgres.log" \
        -o "-p $port" -w -t 30 start >/dev/null 2>&1; then
        started=1
        break
    fi
    # A failed start may leave a postmaster behind; make sure it is gone.
    run_server_cmd "$bindir/pg_ctl" -D "$workdir/data" stop -m immediate >/dev/null 2>&1 || true
done
if [ "$started" -ne 1 ]; then
    tail -n 20 "$workdir/postgres.log" >&2 2>/dev/null || true
    die "PostgreSQL did not start (see the log above)"
fi

# Wait until it takes TCP connections (pg_ctl -w normally covers this).
ready=0
for _ in $(seq 1 60); do
    if [ -z "$pg_isready_bin" ] || "$pg_isready_bin" -q -h 127.0.0.1 -p "$port" -U "$pg_user" -d postgres; then
        ready=1
        break
    fi
    sleep 0.5
done
[ "$ready" -eq 1 ] || die "PostgreSQL on 127.0.0.1:$port is not ready after 30 s"

# Create the test database over TCP with the password, which also proves that
# password authentication works the way the tests will use it.
PGPASSWORD="$pg_password" PGCONNECT_TIMEOUT=10 "$psql_bin" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$port" -U "$pg_user" -d postgres \
    -c "CREATE DATABASE $pg_database" >/dev/null \
    || die "cannot create database $pg_database on 127.0.0.1:$port"

version=$("$bindir/postgres" --version | sed -E 's/.*\(PostgreSQL\) ([^ ]+).*/\1/')
echo "with-postgres: PostgreSQL $version on 127.0.0.1:$port (database $pg_database, user $pg_user, ready in $(($(now_ms) - start_ms)) ms)" >&2

export TESSERA_POSTGRES_URL="postgres://$pg_user:$pg_password@127.0.0.1:$port/$pg_database"

status=0
"$@" || status=$?
exit "$status"
