#!/usr/bin/env bash
# A transaction-mode PgBouncer on 127.0.0.1:6432 in front of the test cluster (TEST_PG_ADMIN_URL),
# as teams run PostgreSQL behind a pooler. `npm run test:pgbouncer` (the last step of `npm test`)
# starts it when nothing answers there, then runs the PostgreSQL suites through it (see README
# "Tests and benchmarks"). Idempotent: when something already answers on the port it says so
# and leaves it alone. Debian's pgbouncer package (`apt-get install pgbouncer`, what `.ci/run`
# does); it refuses to run as root, so as root it runs as the postgres user.
set -euo pipefail

port="${PGBOUNCER_PORT:-6432}"
if pg_isready -h 127.0.0.1 -p "$port" -q; then
  echo "PgBouncer (or something) already answers on 127.0.0.1:$port; left as it is."
  exit 0
fi

bin="$(command -v pgbouncer || true)"
[ -n "$bin" ] || { [ -x /usr/sbin/pgbouncer ] && bin=/usr/sbin/pgbouncer; }
if [ -z "$bin" ]; then
  echo "pgbouncer is not installed: apt-get install pgbouncer (Debian, Ubuntu), brew install pgbouncer (macOS), or \`docker compose up -d\` (compose.yaml runs one on 127.0.0.1:6432)." >&2
  exit 1
fi

# The test cluster: TEST_PG_ADMIN_URL's server and user (default postgres@127.0.0.1:5432, trust);
# PgBouncer logs in to it with that user's password, if the URL has one.
IFS=$'\t' read -r pg_host pg_port pg_user pg_password < <(node -e '
  const u = new URL(process.env.TEST_PG_ADMIN_URL || "postgres://postgres@127.0.0.1:5432/postgres");
  console.log([u.hostname, u.port || "5432", decodeURIComponent(u.username) || "postgres",
    decodeURIComponent(u.password)].join("\t"));')

dir=/tmp/staging-editor-pgbouncer
mkdir -p "$dir"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
; every database of the test cluster, created by the tests on the fly
* = host=$pg_host port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = $pg_user
pool_mode = transaction
; Many clients (the suites' pools, serve, scan workers) share few server connections. The test
; cluster keeps max_connections = 100 for everything (the direct test setup, other users), so
; the pooler opens at most 20 per database and 40 in all; idle ones close after 30 s, and one
; idle in another database is closed when a busy one needs the room.
max_client_conn = 1000
default_pool_size = 20
max_db_connections = 20
max_user_connections = 40
server_idle_timeout = 30
; PgBouncer 1.18 refuses unknown startup parameters. Dropping the app's two timeouts (see
; DATABASE_LOCK_TIMEOUT_SECONDS) is the harder case for the app: it finds them missing on the
; server and sets them in every transaction instead (src-main/db/pg-timeouts.ts).
ignore_startup_parameters = extra_float_digits,lock_timeout,statement_timeout
server_reset_query =
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
printf '"%s" "%s"\n' "$pg_user" "${pg_password//\"/\"\"}" > "$dir/userlist.txt"
chmod 600 "$dir/userlist.txt"
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$dir"
  "$bin" -d -u postgres "$dir/pgbouncer.ini"
else
  "$bin" -d "$dir/pgbouncer.ini"
fi
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p "$port" -q && {
    echo "PgBouncer $("$bin" --version | head -1 | awk '{print $2}') (transaction mode) on 127.0.0.1:$port"
    exit 0
  }
  sleep 1
done
echo "PgBouncer did not start; its log: $dir/pgbouncer.log" >&2
tail -20 "$dir/pgbouncer.log" >&2 || true
exit 1
