"""The signed-in user is kept per process while unchanged, and a change made through one
process shows on the very next request through another (two app instances sharing Redis and
the database stand for two processes of a deployment)."""

from __future__ import annotations

import pytest
import redis as redis_lib
from sqlalchemy import select, text, update

from reqflow import create_app
from reqflow.core.redis import key
from reqflow.extensions import db
from reqflow.identity.models import Department, User
from tests.conftest import PASSWORD, counted_statements, login, make_config

ME = "/api/v1/auth/me"


@pytest.fixture
def other_app(app, pg_database, tmp_path):
    """A second process of the same deployment: same database, same Redis namespace."""
    return create_app(
        make_config(tmp_path, pg_database, REDIS_NAMESPACE=app.config["REDIS_NAMESPACE"])
    )


@pytest.fixture
def other(other_app):
    return other_app.test_client()


def me(application, client, headers) -> tuple[int, dict | None, int]:
    """(status, profile, SQL statements sent) of one ``GET /auth/me`` through this app."""
    with counted_statements(application) as statements:
        response = client.get(ME, headers=headers)
    profile = response.json["data"]["user"] if response.status_code == 200 else None
    return response.status_code, profile, len(statements)


def cached(application, client, headers) -> dict:
    """Read the user once through this app, then check the next request sends no SQL."""
    assert me(application, client, headers)[0] == 200
    status, profile, statements = me(application, client, headers)
    assert (status, statements) == (200, 0)
    return profile


def test_an_unchanged_user_is_authenticated_without_sql_after_the_first_request(
    other_app, other, users
):
    headers = login(other, "engineer")
    status, profile, statements = me(other_app, other, headers)
    assert (status, statements) == (200, 1)
    assert profile["department"]["name"] == "Engineering"
    assert profile["manager_name"] == "Lead"
    assert cached(other_app, other, headers) == profile


def test_deactivation_through_one_process_refuses_the_next_request_through_another(
    app, client, other_app, other, users, auth
):
    victim = login(client, "engineer2")
    cached(other_app, other, victim)
    url = f"/api/v1/users/{users['engineer2'].id}/deactivate"
    assert client.post(url, headers=auth("admin")).status_code == 200
    assert me(other_app, other, victim)[0] == 401


def _edit(client, auth, user_id: int, **changes):
    url = f"/api/v1/users/{user_id}"
    version = client.get(url, headers=auth("admin")).json["data"]["user"]["version"]
    response = client.put(url, headers=auth("admin"), json={"version": version, **changes})
    assert response.status_code == 200, response.json
    return response.json["data"]["user"]


def test_a_role_change_through_one_process_is_seen_by_the_next_request_through_another(
    app, client, other_app, other, users, auth
):
    headers = login(client, "engineer2")
    assert cached(other_app, other, headers)["role"] == "Engineer"
    _edit(client, auth, users["engineer2"].id, role="Procurement")
    assert me(other_app, other, headers)[0] == 401  # the token carries the old role
    status, profile, _ = me(other_app, other, login(other, "engineer2"))
    assert (status, profile["role"]) == (200, "Procurement")


def test_profile_edits_show_at_once_through_another_process(
    app, client, other_app, other, users, auth
):
    headers = login(client, "engineer")
    cached(other_app, other, headers)
    _edit(client, auth, users["engineer"].id, full_name="Eve Engineer")
    status, profile, statements = me(other_app, other, headers)
    assert (status, profile["full_name"], statements) == (200, "Eve Engineer", 1)
    # The manager's new name is part of every report's profile.
    _edit(client, auth, users["lead"].id, full_name="Lena Lead")
    status, profile, _ = me(other_app, other, headers)
    assert (status, profile["manager_name"]) == (200, "Lena Lead")


def test_logout_ends_every_token_at_once_through_another_process(
    app, client, other_app, other, users
):
    first, second = login(client, "engineer"), login(client, "engineer")
    cached(other_app, other, first)
    cached(other_app, other, second)
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 200
    assert me(other_app, other, first)[0] == 401
    assert me(other_app, other, second)[0] == 401


def test_revoking_one_token_is_immediate_through_another_process(
    app, client, other_app, other, users
):
    headers = login(client, "engineer")
    cached(other_app, other, headers)
    with app.app_context():
        from flask_jwt_extended import decode_token

        from reqflow.identity.tokens import token_store

        token = headers["Authorization"].split()[1]
        token_store().revoke(decode_token(token)["jti"], 3600)
    assert me(other_app, other, headers)[0] == 401


def test_a_password_change_through_one_process_ends_sessions_seen_by_another(
    app, client, other_app, other, users
):
    headers, elsewhere = login(client, "engineer"), login(client, "engineer")
    cached(other_app, other, elsewhere)
    response = client.post(
        "/api/v1/auth/change-password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "Velvet-Comet-Orchard-51"},
    )
    assert response.status_code == 200
    assert me(other_app, other, elsewhere)[0] == 401


def test_a_department_rename_shows_through_another_process(app, client, other_app, other, users):
    headers = login(client, "engineer")
    assert cached(other_app, other, headers)["department"]["name"] == "Engineering"
    with app.app_context():
        department = db.session.scalar(select(Department).where(Department.code == "ENG"))
        department.name = "Engineering & Design"
        db.session.commit()
    status, profile, _ = me(other_app, other, headers)
    assert (status, profile["department"]["name"]) == (200, "Engineering & Design")


def test_a_bulk_update_of_users_through_a_session_is_seen_by_another_process(
    app, client, other_app, other, users
):
    """``update(User)`` statements bypass the unit of work; the session still notes them."""
    headers, lead = login(client, "engineer"), login(client, "lead")
    cached(other_app, other, headers)
    cached(other_app, other, lead)
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == users["engineer"].id).values(is_active=False)
        )
        db.session.commit()
    assert me(other_app, other, headers)[0] == 401
    assert me(other_app, other, lead)[2] == 0  # another user's row was not touched
    with app.app_context():
        db.session.execute(
            update(User).where(User.username == "lead").values(full_name="Lena Lead")
        )
        db.session.commit()
    status, profile, _ = me(other_app, other, lead)
    assert (status, profile["full_name"]) == (200, "Lena Lead")


def test_a_missing_generation_reads_the_user_from_the_database(
    app, client, other_app, other, users
):
    headers = login(client, "engineer")
    cached(other_app, other, headers)
    with app.app_context():
        redis_lib.Redis.from_url(app.config["REDIS_URL"]).delete(
            key("principal", users["engineer"].id)
        )
    assert me(other_app, other, headers)[::2] == (200, 1)
    assert me(other_app, other, headers)[::2] == (200, 0)


def test_unreadable_generations_read_the_user_from_the_database_every_time(
    app, client, other_app, other, users, monkeypatch
):
    headers = login(client, "engineer")
    cached(other_app, other, headers)
    store = other_app.extensions["reqflow_tokens"]

    def down(*_args):
        raise redis_lib.ConnectionError("generations unreachable")

    monkeypatch.setattr(store, "check", down)
    assert me(other_app, other, headers)[::2] == (200, 1)
    assert me(other_app, other, headers)[::2] == (200, 1)
    # A change no session noted (straight SQL) is still seen: the row is read every time.
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET is_active = false WHERE id = :id"),
            {"id": users["engineer"].id},
        )
    assert me(other_app, other, headers)[0] == 401


def test_without_redis_the_user_is_cached_in_process_and_changes_show_at_once(
    app, pg_database, tmp_path, users
):
    embedded = create_app(make_config(tmp_path, pg_database, REDIS_URL=None))
    client = embedded.test_client()
    headers, admin = login(client, "engineer"), login(client, "admin")
    cached(embedded, client, headers)
    url = f"/api/v1/users/{users['engineer'].id}"
    version = client.get(url, headers=admin).json["data"]["user"]["version"]
    edited = client.put(url, headers=admin, json={"version": version, "full_name": "Eve"})
    assert edited.status_code == 200
    status, profile, statements = me(embedded, client, headers)
    assert (status, profile["full_name"], statements) == (200, "Eve", 1)
    deactivate = client.post(f"{url}/deactivate", headers=admin)
    assert deactivate.status_code == 200
    assert me(embedded, client, headers)[0] == 401
