#!/bin/sh
# Restore a ReqFlow database from an archive made by scripts/backup.sh (any `pg_dump -Fc`).
#
#   scripts/restore.sh [--create | --clean] [-d DB] [-h HOST] [-p PORT] [-U USER] FILE
#
#   --create  create DB (from template0; it must not exist yet) and restore into it: a new
#             host, or a scratch copy to prove a backup restores. A failed restore drops it.
#   --clean   restore over the existing DB: the archive's objects are dropped and recreated.
#             Stop everything that writes first (nginx, backend, worker, beat).
#   neither   restore into an existing, empty DB.
#
# -d/-h/-p/-U as for the PostgreSQL tools (default database: reqflow); PG_EXEC prefixes them,
# e.g. PG_EXEC="docker compose ... exec -T postgres" (see scripts/backup.sh). The restore is one
# transaction (all or nothing) and stops at the first error; objects become owned by the
# connecting user (--no-owner). Afterwards run the migrations (`flask db upgrade`; in compose
# `docker compose up -d` runs `migrate`): a dump older than the code is upgraded, one newer
# than the code needs the release that made it.
set -eu

usage() {
    echo "usage: $0 [--create | --clean] [-d DB] [-h HOST] [-p PORT] [-U USER] FILE" >&2
    exit 2
}

mode=plain
db=reqflow
host=
port=
user=
while [ "$#" -gt 0 ]; do
    case $1 in
        --create | --clean)
            [ "$mode" = plain ] || usage
            mode=${1#--}
            ;;
        -d | -h | -p | -U)
            [ "$#" -ge 2 ] || usage
            case $1 in
                -d) db=$2 ;;
                -h) host=$2 ;;
                -p) port=$2 ;;
                -U) user=$2 ;;
            esac
            shift
            ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
    shift
done
[ "$#" -eq 1 ] || usage
file=$1
[ -r "$file" ] || { echo "$0: cannot read $file" >&2; exit 1; }
pg_exec=${PG_EXEC:-}

# Fail before touching any database if the archive is not readable.
# shellcheck disable=SC2086  # PG_EXEC is a command prefix: split into words on purpose
if ! $pg_exec pg_restore --list <"$file" >/dev/null; then
    echo "$0: $file is not a readable pg_dump archive; nothing restored" >&2
    exit 1
fi

created=
cleanup() {
    if [ -n "$created" ]; then
        echo "$0: restore failed; dropping the new database $db" >&2
        # shellcheck disable=SC2086
        $pg_exec dropdb ${host:+-h "$host"} ${port:+-p "$port"} ${user:+-U "$user"} \
            --if-exists -- "$db" || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$mode" = create ]; then
    # shellcheck disable=SC2086
    $pg_exec createdb ${host:+-h "$host"} ${port:+-p "$port"} ${user:+-U "$user"} \
        --template=template0 -- "$db"
    created=yes
fi

clean_options=
[ "$mode" = clean ] && clean_options="--clean --if-exists"
# shellcheck disable=SC2086
$pg_exec pg_restore ${host:+-h "$host"} ${port:+-p "$port"} ${user:+-U "$user"} \
    --dbname="$db" --no-owner --single-transaction --exit-on-error $clean_options <"$file"
created=

# shellcheck disable=SC2086
revision=$($pg_exec psql ${host:+-h "$host"} ${port:+-p "$port"} ${user:+-U "$user"} \
    --dbname="$db" -X -A -t -c "SELECT version_num FROM alembic_version" 2>/dev/null) ||
    revision=unknown
echo "restored $file into $db (schema revision ${revision:-unknown}); now run the migrations"
