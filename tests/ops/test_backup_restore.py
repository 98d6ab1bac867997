"""scripts/backup.sh and scripts/restore.sh against the real PostgreSQL test database: a
backup of a database holding users, a submitted requisition and its audit trail restores into
a fresh database with every row intact, the audit log is still append-only there, `--clean`
puts an existing database back to the backup, and failures leave nothing half-done behind.
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ADMIN_DSN, ROLE_USERS
from tests.integration.reqs import submitted

from .support import REPO, require_tool, run

BACKUP = REPO / "scripts" / "backup.sh"
RESTORE = REPO / "scripts" / "restore.sh"


# --- helpers -----------------------------------------------------------------------------------
def _connection_options(database_url: str) -> list[str]:
    url = make_url(database_url)
    options = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    return options + (["-U", url.username] if url.username else [])


def _dsn(database_url: str, database: str) -> str:
    url = make_url(database_url).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


def _query(dsn: str, sql: str) -> list[tuple]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        conn.close()


def _admin(sql: str) -> None:
    conn = psycopg2.connect(PG_ADMIN_DSN)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def _exists(database: str) -> bool:
    conn = psycopg2.connect(PG_ADMIN_DSN)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            return cur.fetchone() is not None
    finally:
        conn.close()


def _fingerprint(dsn: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema → (row count, md5 of all its rows in a fixed order)."""
    tables = [
        r[0] for r in _query(dsn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]
    assert tables, "no tables"
    parts = [
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), ''))"
        f' FROM "{t}" AS x'
        for t in sorted(tables)
    ]
    return {name: (count, digest) for name, count, digest in _query(dsn, " UNION ALL ".join(parts))}


def _script(script: Path, *args: str):
    return run(["sh", str(script), *args], timeout=60)


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb", "psql"):
        require_tool(tool)


@pytest.fixture
def data(app, users, client, auth) -> dict:
    """Users of every role and a submitted requisition (approval chain, notifications, audit)."""
    return submitted(client, auth)


@pytest.fixture
def scratch_name(app) -> Iterator[str]:
    """A database name for the restored copy; the database is dropped whatever happens."""
    source = make_url(app.config["DATABASE_URL"]).database
    name = f"{source}_restored_{uuid.uuid4().hex[:6]}"
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backup(app, data, tmp_path: Path) -> Path:
    """scripts/backup.sh of the test database, as an operator's cron job would take it."""
    url = app.config["DATABASE_URL"]
    dump = tmp_path / "backups" / "reqflow-test.dump"
    dump.parent.mkdir()
    database = make_url(url).database
    result = _script(BACKUP, *_connection_options(url), "-d", database, str(dump))
    assert result.returncode == 0, result.stderr
    assert f"written to {dump}" in result.stdout
    return dump


# --- tests -------------------------------------------------------------------------------------
def test_backup_is_a_private_readable_custom_format_archive(backup: Path) -> None:
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    listing = run(["pg_restore", "--list", str(backup)])
    assert listing.returncode == 0, listing.stderr
    for table in ("users", "requisitions", "audit_logs", "alembic_version"):
        assert f"TABLE DATA public {table} " in listing.stdout
    assert "TRIGGER public audit_logs audit_logs_no_update_delete" in listing.stdout
    assert list(backup.parent.iterdir()) == [backup]  # no temporary file left behind


def test_restore_into_a_fresh_database_round_trips_every_row(
    app, data, backup: Path, scratch_name: str
) -> None:
    url = app.config["DATABASE_URL"]
    result = _script(
        RESTORE, "--create", *_connection_options(url), "-d", scratch_name, str(backup)
    )
    assert result.returncode == 0, result.stderr
    source, copy = _dsn(url, make_url(url).database), _dsn(url, scratch_name)

    assert _fingerprint(copy) == _fingerprint(source)
    users = _query(copy, "SELECT username, role, password_hash FROM users ORDER BY id")
    assert [u[0] for u in users] == list(ROLE_USERS)
    assert users == _query(source, "SELECT username, role, password_hash FROM users ORDER BY id")
    assert _query(copy, "SELECT id, req_number, status FROM requisitions") == [
        (data["id"], data["req_number"], data["status"])
    ]
    audit = "SELECT count(*) FROM audit_logs"
    assert _query(copy, audit) == _query(source, audit) and _query(copy, audit)[0][0] > 0
    revision = "SELECT version_num FROM alembic_version"
    assert _query(copy, revision) == _query(source, revision)
    # Sequences come back too: the next user id follows the restored ones.
    assert _query(copy, "SELECT nextval('users_id_seq')")[0][0] == len(ROLE_USERS) + 1


def test_audit_log_stays_append_only_in_the_restored_copy(
    app, backup: Path, scratch_name: str
) -> None:
    url = app.config["DATABASE_URL"]
    options = [*_connection_options(url), "-d", scratch_name]
    assert _script(RESTORE, "--create", *options, str(backup)).returncode == 0
    copy = _dsn(url, scratch_name)
    rows = _query(copy, "SELECT count(*) FROM audit_logs")
    for statement in (
        "UPDATE audit_logs SET action = 'forged'",
        "DELETE FROM audit_logs",
        "TRUNCATE audit_logs",
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"):
            _query(copy, statement)
    assert _query(copy, "SELECT count(*) FROM audit_logs") == rows
    # Appending still works: the trigger guards history, not new entries.
    conn = psycopg2.connect(copy)
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO audit_logs (action, resource_type, created_at)"
            " VALUES ('restore.verified', 'database', now())"
        )
    conn.close()


def test_restore_with_clean_puts_an_existing_database_back_to_the_backup(
    app, backup: Path, scratch_name: str
) -> None:
    url = app.config["DATABASE_URL"]
    options = [*_connection_options(url), "-d", scratch_name]
    assert _script(RESTORE, "--create", *options, str(backup)).returncode == 0
    copy = _dsn(url, scratch_name)
    expected = _fingerprint(copy)
    conn = psycopg2.connect(copy)
    with conn, conn.cursor() as cur:  # what happened after the backup was taken
        cur.execute("UPDATE users SET email = 'changed@example.com' WHERE username = 'buyer'")
        cur.execute("DELETE FROM notifications")
        cur.execute("UPDATE requisitions SET justification = 'edited after the backup'")
    conn.close()
    assert _fingerprint(copy) != expected

    result = _script(RESTORE, "--clean", *options, str(backup))
    assert result.returncode == 0, result.stderr
    assert _fingerprint(copy) == expected


def test_failed_backup_keeps_no_file(app, tmp_path: Path) -> None:
    dump = tmp_path / "reqflow.dump"
    options = _connection_options(app.config["DATABASE_URL"])
    result = _script(BACKUP, *options, "-d", f"missing_{uuid.uuid4().hex[:6]}", str(dump))
    assert result.returncode != 0
    assert list(tmp_path.iterdir()) == []


def test_restore_without_options_fills_an_existing_empty_database(
    app, backup: Path, scratch_name: str
) -> None:
    """A new host: the database compose's postgres image created on first start is empty."""
    url = app.config["DATABASE_URL"]
    _admin(f'CREATE DATABASE "{scratch_name}"')
    options = [*_connection_options(url), "-d", scratch_name]
    result = _script(RESTORE, *options, str(backup))
    assert result.returncode == 0, result.stderr
    assert _fingerprint(_dsn(url, scratch_name)) == _fingerprint(_dsn(url, make_url(url).database))


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        # pg_restore cannot even read the table of contents: refused before anything is created
        (lambda size: 200, "is not a readable pg_dump archive; nothing restored"),
        # the contents read, the last data block does not: created, failed, dropped again
        (lambda size: size - 10, "restore failed; dropping the new database"),
    ],
    ids=["cut-in-the-table-of-contents", "cut-in-the-last-data-block"],
)
def test_damaged_archive_fails_and_leaves_no_database_behind(
    app, backup: Path, scratch_name: str, tmp_path: Path, keep, message: str
) -> None:
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(backup.read_bytes()[: keep(backup.stat().st_size)])
    options = [*_connection_options(app.config["DATABASE_URL"]), "-d", scratch_name]
    result = _script(RESTORE, "--create", *options, str(damaged))
    assert result.returncode != 0
    assert message in result.stderr
    assert not _exists(scratch_name)


def test_restore_create_refuses_an_existing_database_and_leaves_it_alone(app, backup: Path) -> None:
    url = app.config["DATABASE_URL"]
    database = make_url(url).database
    source = _dsn(url, database)
    before = _fingerprint(source)
    result = _script(RESTORE, "--create", *_connection_options(url), "-d", database, str(backup))
    assert result.returncode != 0 and "already exists" in result.stderr
    assert "dropping" not in result.stderr
    assert _exists(database) and _fingerprint(source) == before


def test_backup_refuses_to_keep_an_archive_that_does_not_read_back(app, tmp_path: Path) -> None:
    """A pg_dump that 'succeeds' but writes a damaged archive (PG_EXEC runs a wrapper that
    drops the archive's last bytes) leaves no file."""
    wrapper = tmp_path / "bin" / "damaging-exec"
    wrapper.parent.mkdir()
    wrapper.write_text(
        '#!/bin/sh\nif [ "$1" = pg_dump ]; then "$@" | head -c -10; else exec "$@"; fi\n'
    )
    wrapper.chmod(0o755)
    dump = tmp_path / "out" / "reqflow.dump"
    dump.parent.mkdir()
    url = app.config["DATABASE_URL"]
    result = run(
        ["sh", str(BACKUP), *_connection_options(url), "-d", make_url(url).database, str(dump)],
        timeout=60,
        env={**os.environ, "PG_EXEC": str(wrapper)},
    )
    assert result.returncode != 0
    assert "pg_restore: error" in result.stderr  # the read-back caught it
    assert list(dump.parent.iterdir()) == []
