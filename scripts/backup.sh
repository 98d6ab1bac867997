#!/bin/sh
# Back up the ReqFlow database to FILE: a pg_dump custom-format archive (compressed, restorable
# selectively and in parallel), consistent while the application keeps running.
#
#   scripts/backup.sh [-d DB] [-h HOST] [-p PORT] [-U USER] FILE
#
# -d/-h/-p/-U go to pg_dump (default database: reqflow; otherwise libpq's PG* variables and
# defaults apply). PG_EXEC, if set, prefixes every PostgreSQL tool, e.g. to run them inside the
# compose `postgres` service (-T: no TTY, the archive is streamed over stdin/stdout):
#
#   PG_EXEC="docker compose --env-file /etc/reqflow/reqflow.env -f /opt/reqflow/docker-compose.yml exec -T postgres" \
#       scripts/backup.sh -U reqflow /var/backups/reqflow/reqflow-$(date +%Y%m%d-%H%M).dump
#
# FILE is written on this host, mode 600 (it holds password hashes and personal data), under a
# temporary name first and kept only once pg_restore has read all of it back: exit 0 means
# FILE is a complete, readable archive; any failure leaves FILE untouched.
set -eu

usage() {
    echo "usage: $0 [-d DB] [-h HOST] [-p PORT] [-U USER] FILE" >&2
    exit 2
}

db=reqflow
host=
port=
user=
while getopts d:h:p:U: opt; do
    case $opt in
        d) db=$OPTARG ;;
        h) host=$OPTARG ;;
        p) port=$OPTARG ;;
        U) user=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ "$#" -eq 1 ] || usage
file=$1
pg_exec=${PG_EXEC:-}

tmp="$file.partial.$$"
trap 'rm -f "$tmp" "$tmp.list"' EXIT
trap 'exit 130' INT TERM

umask 077
# shellcheck disable=SC2086  # PG_EXEC is a command prefix: split into words on purpose
$pg_exec pg_dump --format=custom ${host:+-h "$host"} ${port:+-p "$port"} ${user:+-U "$user"} \
    --dbname="$db" >"$tmp"

# Read the whole archive back: every data block must decompress (`--list` alone reads only the
# table of contents, which a file cut short or damaged in the data section still passes).
# shellcheck disable=SC2086
$pg_exec pg_restore --file=/dev/null <"$tmp"
# shellcheck disable=SC2086
$pg_exec pg_restore --list <"$tmp" >"$tmp.list"
tables=$(grep -c ' TABLE DATA ' "$tmp.list" || true)
if [ "$tables" -eq 0 ]; then
    echo "$0: $db: the archive holds no table data; not keeping it" >&2
    exit 1
fi

mv -f "$tmp" "$file"
echo "backup of $db written to $file ($(wc -c <"$file" | tr -d ' ') bytes, $tables tables)"
