"""Every role over every endpoint built so far: the expected 2xx / 403 / 404."""

from __future__ import annotations

import pytest

from tests.conftest import ROLE_USERS

ALL = set(ROLE_USERS)
ADMIN = {"admin"}
AUDITORS = {"admin", "procmgr"}

# method, path template, body, roles allowed (others get 403)
MATRIX = [
    ("GET", "/api/v1/auth/me", None, ALL),
    ("GET", "/api/v1/users", None, ADMIN),
    (
        "POST",
        "/api/v1/users",
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "full_name": "New Bie",
            "password": "Velvet-Comet-Orchard-51",
            "role": "Engineer",
        },
        ADMIN,
    ),
    ("GET", "/api/v1/users/lookup?q=eng", None, ALL),
    ("GET", "/api/v1/users/{engineer}", None, ADMIN),
    ("PUT", "/api/v1/users/{engineer}", {"full_name": "Renamed", "version": 1}, ADMIN),
    ("POST", "/api/v1/users/{engineer2}/deactivate", None, ADMIN),
    ("GET", "/api/v1/departments", None, ALL),
    ("POST", "/api/v1/departments", {"name": "Quality", "code": "QA"}, ADMIN),
    ("GET", "/api/v1/audit-logs", None, AUDITORS),
]


@pytest.mark.parametrize("username", sorted(ALL))
def test_each_role_gets_exactly_the_endpoints_of_its_permissions(client, users, auth, username):
    ids = {name: user.id for name, user in users.items()}
    for method, template, body, allowed in MATRIX:
        path = template.format(**ids)
        response = client.open(path, method=method, json=body, headers=auth(username))
        if username in allowed:
            assert response.status_code in (200, 201), (username, method, path, response.json)
        else:
            assert response.status_code == 403, (username, method, path, response.status_code)
            assert response.json["error"]["code"] == "FORBIDDEN"


def test_anonymous_gets_401_everywhere(client, users):
    ids = {name: user.id for name, user in users.items()}
    for method, template, body, _ in MATRIX:
        response = client.open(template.format(**ids), method=method, json=body)
        assert response.status_code == 401, (method, template)


def test_absent_user_is_404_for_an_admin(client, auth):
    response = client.get("/api/v1/users/999999", headers=auth("admin"))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "NOT_FOUND"


def test_scope_helper_filters_to_own_rows(app, users):
    from sqlalchemy import select

    from reqflow.core.rbac import scoped
    from reqflow.extensions import db
    from reqflow.identity.models import User

    with app.app_context():
        engineer = db.session.get(User, users["engineer"].id)
        buyer = db.session.get(User, users["buyer"].id)
        admin = db.session.get(User, users["admin"].id)
        own = scoped(select(User.id), engineer, "requisition", "view", owner_col=User.id)
        assert list(db.session.scalars(own)) == [engineer.id]
        everyone = scoped(select(User.id), buyer, "requisition", "view", owner_col=User.id)
        assert len(list(db.session.scalars(everyone))) == len(users)
        nobody = scoped(select(User.id), admin, "requisition", "view", owner_col=User.id)
        assert list(db.session.scalars(nobody)) == []
