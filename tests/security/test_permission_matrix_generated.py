"""The role × operation matrix, generated: every operation of the OpenAPI document that declares
``x-permission`` (read from its route's ``require_permission``) against every role of the
permission matrix (identity.permissions). Nothing here is a hand list of endpoints or roles."""

from __future__ import annotations

from typing import Any

import pytest

from reqflow.core.openapi import API_PREFIX, build_spec
from reqflow.identity.permissions import MATRIX, SCOPES, Role, grants
from tests.conftest import ROLE_USERS

USER_OF_ROLE = {role: next(u for u, r in ROLE_USERS.items() if r == role) for role in Role}


def _split(permission: str) -> tuple[str, str, str | None]:
    resource, action, *rest = permission.split(":")
    return resource, action, rest[0] if rest else None


def _guarded(app) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, permission, operation) for each operation that names its permission."""
    with app.app_context():
        document = build_spec(app)
    return [
        (method, path, op["x-permission"], op)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if "x-permission" in op
    ]


def _concrete(path: str, op: dict[str, Any]) -> str:
    for param in op["parameters"]:
        if param.get("in") == "path":
            value = "999999" if param["schema"].get("type") == "integer" else "unknown"
            path = path.replace("{" + param["name"] + "}", value)
    return API_PREFIX + path


def test_every_declared_permission_is_granted_by_the_matrix_to_some_role(app):
    guarded = _guarded(app)
    assert len(guarded) > 40  # the document names the permissions of its guarded routes
    for method, path, permission, _ in guarded:
        resource, action, scope = _split(permission)
        assert scope is None or scope in SCOPES, (method, path, permission)
        holders = [role for role, held in MATRIX.items() if grants(held, resource, action, scope)]
        assert holders, f"{method.upper()} {path}: {permission} is in no role of the matrix"


@pytest.mark.parametrize("role", list(Role))
def test_a_role_without_the_permission_is_refused_every_guarded_operation(app, client, auth, role):
    headers = auth(USER_OF_ROLE[role])
    refused = 0
    for method, path, permission, op in _guarded(app):
        if grants(MATRIX[role], *_split(permission)):
            continue
        response = client.open(_concrete(path, op), method=method.upper(), headers=headers, json={})
        assert response.status_code == 403, (role, method, path, response.status_code)
        assert response.json["error"]["code"] == "FORBIDDEN"
        refused += 1
    assert refused > 0
