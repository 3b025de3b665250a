#!/bin/sh
# Proves a dump restores: pg_restore into a scratch database, print the row count of every
# table, optionally compare them with a live database, then drop the scratch database.
#
#   ADMIN_DATABASE_URL=postgresql://postgres@host:5432/postgres \
#   [COMPARE_DATABASE_URL=postgresql://...]  deploy/restore-test.sh backups/sipario-<stamp>.dump
#
# ADMIN_DATABASE_URL: any database on the target server, as a role allowed to CREATE DATABASE
#   (defaults to DATABASE_URL). The scratch database is created next to it.
# COMPARE_DATABASE_URL: when set, every table's count must equal the count there (use it
#   right after a backup, before new bookings arrive); exits 1 on any difference.
# RESTORE_DB_NAME: name of the scratch database (default sipario_restore_<time>).
# KEEP_RESTORE=1 keeps the scratch database for inspection.
# Exit status: 0 restored (and counts equal), 1 counts differ, 2 usage, other: pg_restore failed.
set -eu

dump=${1:-}
if [ -z "$dump" ] || [ ! -f "$dump" ]; then
  echo "usage: restore-test.sh <dump-file>  (with ADMIN_DATABASE_URL or DATABASE_URL set)" >&2
  exit 2
fi
admin_url=${ADMIN_DATABASE_URL:-${DATABASE_URL:-}}
if [ -z "$admin_url" ]; then
  echo "restore-test: set ADMIN_DATABASE_URL (or DATABASE_URL) to a database on the target server" >&2
  exit 2
fi
scratch=${RESTORE_DB_NAME:-sipario_restore_$(date -u +%Y%m%d%H%M%S)}
case $scratch in
  *[!a-z0-9_]*) echo "restore-test: RESTORE_DB_NAME may hold only a-z, 0-9 and _" >&2; exit 2 ;;
esac

# The scratch database's URL: the admin URL with its path replaced (query string kept).
scratch_url=$(printf '%s' "$admin_url" | sed -E "s#^([a-z]+://[^/]*)(/[^?]*)?#\\1/$scratch#")

drop_scratch() {
  if [ "${KEEP_RESTORE:-0}" != "1" ]; then
    psql --quiet --no-psqlrc --dbname="$admin_url" -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap drop_scratch EXIT INT TERM

psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 --dbname="$admin_url" -c "CREATE DATABASE \"$scratch\"" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$dump"

# Exact row counts of every table in the public schema, "table count" per line.
count_sql="SELECT table_name || ' ' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"

restored=$(psql --no-psqlrc -At -v ON_ERROR_STOP=1 --dbname="$scratch_url" -c "$count_sql")
if [ -z "$restored" ]; then
  echo "restore-test: the restored database has no tables" >&2
  exit 1
fi
echo "restored $dump into $scratch:"
printf '%s\n' "$restored" | sed 's/^/  /'
for table in _prisma_migrations Reservation Performance; do
  if ! printf '%s\n' "$restored" | grep -q "^$table "; then
    echo "restore-test: table $table is missing from the restore" >&2
    exit 1
  fi
done

if [ -n "${COMPARE_DATABASE_URL:-}" ]; then
  live=$(psql --no-psqlrc -At -v ON_ERROR_STOP=1 --dbname="$COMPARE_DATABASE_URL" -c "$count_sql")
  if [ "$live" != "$restored" ]; then
    echo "restore-test: row counts differ from the compared database (restored | live):" >&2
    printf '%s\n' "$restored" > "${TMPDIR:-/tmp}/sipario-restored.$$"
    printf '%s\n' "$live" | diff "${TMPDIR:-/tmp}/sipario-restored.$$" - >&2 || true
    rm -f "${TMPDIR:-/tmp}/sipario-restored.$$"
    exit 1
  fi
  echo "row counts equal the compared database"
fi
echo "restore OK"
