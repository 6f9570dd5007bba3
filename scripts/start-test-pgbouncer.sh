#!/usr/bin/env bash
# A transaction-mode PgBouncer on 127.0.0.1:6432 in front of the test cluster on 127.0.0.1:5432,
# as teams run PostgreSQL behind a pooler. `.ci/run` starts it; the PostgreSQL suites then run
# through it as well as direct (TEST_PGBOUNCER_URL, see README "Tests and benchmarks").
# Debian's pgbouncer package; it refuses to run as root, so it runs as the postgres user.
set -euo pipefail

port="${PGBOUNCER_PORT:-6432}"
if pg_isready -h 127.0.0.1 -p "$port" -q; then
  echo "PgBouncer (or something) already answers on 127.0.0.1:$port"
  exit 0
fi

dir=/tmp/staging-editor-pgbouncer
mkdir -p "$dir"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
; every database of the test cluster, created by the tests on the fly
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
; the suites' pools (scan workers, requests) across many throwaway databases
max_client_conn = 1000
default_pool_size = 40
max_db_connections = 60
; PgBouncer 1.18 refuses unknown startup parameters; these two are the app's timeouts (see
; DATABASE_LOCK_TIMEOUT_SECONDS): ignored here, so through this pooler they don't apply.
ignore_startup_parameters = extra_float_digits,lock_timeout,statement_timeout
server_reset_query =
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
echo '"postgres" ""' > "$dir/userlist.txt"
chown -R postgres "$dir" 2>/dev/null || true

if [ "$(id -u)" = 0 ]; then
  pgbouncer -d -u postgres "$dir/pgbouncer.ini"
else
  pgbouncer -d "$dir/pgbouncer.ini"
fi
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p "$port" -q && { echo "PgBouncer (transaction mode) on 127.0.0.1:$port"; exit 0; }
  sleep 1
done
echo "PgBouncer did not start; its log: $dir/pgbouncer.log" >&2
tail -20 "$dir/pgbouncer.log" >&2 || true
exit 1
