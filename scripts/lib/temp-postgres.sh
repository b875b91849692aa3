# Sourced by the cluster scripts: starts a throwaway PostgreSQL (initdb in a temp folder named
# after $1, Unix socket only, no TCP port) as the `postgres` user when run as root, waits for
# its socket, and removes it on exit. Sets: pg_dir (the folder), pg_pid (the postmaster),
# pg_url (a libpq URL for user windvane over the socket).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_dir=$(mktemp -d "/tmp/windvane-$1.XXXXXX")
trap 'kill "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; rm -rf "$pg_dir"' EXIT
pg_run_as=()
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$pg_dir"
    pg_run_as=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi
"${pg_run_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U windvane --auth=trust -E UTF8 --no-locale >/dev/null
"${pg_run_as[@]}" "$pg_bin/postgres" -D "$pg_dir/data" -k "$pg_dir" -c listen_addresses= \
    -c max_connections=50 >"$pg_dir/log" 2>&1 &
pg_pid=$!
until [ -S "$pg_dir/.s.PGSQL.5432" ]; do sleep 0.1; done
pg_url="postgres://windvane@${pg_dir//\//%2F}:5432/postgres"
