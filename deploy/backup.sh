#!/bin/sh
# Sipario database backup: one pg_dump in PostgreSQL's custom format (compressed, restorable
# table by table with pg_restore), named by UTC time, written atomically.
#
#   DATABASE_URL=postgresql://user:pass@host:5432/sipario deploy/backup.sh [backup-dir]
#   docker compose --profile backup run --rm backup        # same, inside the compose network
#
# Retention: dumps in the folder older than BACKUP_KEEP_DAYS days (default 14) are deleted
# after a successful dump. Keep copies off the server too (see docs/deployment.md): a
# dump on the same disk does not survive losing that disk.
# Prints the path of the new dump; never prints DATABASE_URL (it holds the password).
set -eu

if [ -z "${DATABASE_URL:-}" ]; then
  echo "backup: DATABASE_URL is not set (postgresql://user:password@host:5432/database)" >&2
  exit 2
fi
dir=${1:-${BACKUP_DIR:-./backups}}
keep_days=${BACKUP_KEEP_DAYS:-14}
case $keep_days in
  '' | *[!0-9]*) echo "backup: BACKUP_KEEP_DAYS must be a whole number of days" >&2; exit 2 ;;
esac

mkdir -p "$dir"
umask 077
stamp=$(date -u +%Y%m%dT%H%M%SZ)
file="$dir/sipario-$stamp.dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT INT TERM

pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"
mv "$partial" "$file"
trap - EXIT INT TERM

# Only after a good dump: never delete the last backups because today's failed.
find "$dir" -maxdepth 1 -type f -name 'sipario-*.dump' -mtime +"$keep_days" -exec rm -f {} +

echo "$file"
