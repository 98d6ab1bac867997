"""Every versioned resource the OpenAPI document lists (a PUT whose body requires ``version``)
refuses a lost update: two writers holding the same version change different parts — the
header and the lines where there are lines — the first gets 200, the second 409
``STALE_VERSION`` with the current version, and the stored state is the first writer's.

A versioned PUT added to the API without a writer here fails the first test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.integration.goods import location, make_item
from tests.integration.pos import create_po, free, suppliers
from tests.integration.reqs import BASE, create, make_project, payload


@dataclass
class Writers:
    url: str  # the resource, for GET and PUT
    username: str  # who may change it
    key: str  # its name in the answer's data
    first: dict[str, Any]  # the first writer's change (no version)
    second: dict[str, Any]  # the second writer's, on another part
    kept: Callable[[dict[str, Any]], Any]  # what the first writer's change left behind
    expected: Any


def _requisition(app, client, auth) -> Writers:
    body = payload(("2", "10.50"), ("1", "3.00"))
    req = create(client, auth("engineer"), body)
    lines = {**body, "items": [dict(item) for item in body["items"]]}
    lines["items"][0]["description"] = "Second writer's line"
    return Writers(
        f"{BASE}/{req['id']}",
        "engineer",
        "requisition",
        {**body, "justification": "First writer's header"},
        lines,
        lambda r: (r["justification"], r["items"][0]["description"]),
        ("First writer's header", body["items"][0]["description"]),
    )


def _purchase_order(app, client, auth) -> Writers:
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free("Oil", "2", "5.00")], tax_rate="0")
    line = po["lines"][0]["id"]
    return Writers(
        f"/api/v1/purchase-orders/{po['id']}",
        "buyer",
        "purchase_order",
        {"notes": "First writer's note"},
        {"lines": [{"id": line, "description": "Second writer's line"}]},
        lambda p: (p["notes"], p["lines"][0]["description"]),
        ("First writer's note", "Oil"),
    )


def _item(app, client, auth) -> Writers:
    item = make_item(client, auth, "BOLT-M8", "Hex bolt M8")
    return Writers(
        f"/api/v1/items/{item['id']}",
        "buyer",
        "item",
        {"name": "First writer's name"},
        {"description": "Second writer's description"},
        lambda i: (i["name"], i["description"]),
        ("First writer's name", item["description"]),
    )


def _supplier(app, client, auth) -> Writers:
    (acme,) = suppliers(app, "ACME")
    return Writers(
        f"/api/v1/suppliers/{acme}",
        "buyer",
        "supplier",
        {"name": "First writer's name"},
        {"payment_terms_days": 60},
        lambda s: (s["name"], s["payment_terms_days"]),
        ("First writer's name", 30),
    )


def _project(app, client, auth) -> Writers:
    project = make_project(app, "PRJ-9")
    return Writers(
        f"/api/v1/projects/{project}",
        "procmgr",
        "project",
        {"name": "First writer's name"},
        {"budget_amount": "2000.00"},
        lambda p: (p["name"], p["budget_amount"]),
        ("First writer's name", "1000.00"),
    )


def _location(app, client, auth) -> Writers:
    bin_id = location(client, auth, "B-02-01")
    return Writers(
        f"/api/v1/storage-locations/{bin_id}",
        "storekeeper",
        "location",
        {"name": "First writer's name"},
        {"capacity": 40},
        lambda loc: (loc["name"], loc["capacity"]),
        ("First writer's name", None),
    )


def _user(app, client, auth) -> Writers:
    engineer = client.get(
        "/api/v1/users", query_string={"q": "engineer2"}, headers=auth("admin")
    ).json["data"]["users"][0]
    return Writers(
        f"/api/v1/users/{engineer['id']}",
        "admin",
        "user",
        {"full_name": "First Writer"},
        {"email": "second.writer@example.com"},
        lambda u: (u["full_name"], u["email"]),
        ("First Writer", engineer["email"]),
    )


WRITERS = {
    "/requisitions/{requisition_id}": _requisition,
    "/purchase-orders/{po_id}": _purchase_order,
    "/items/{item_id}": _item,
    "/suppliers/{supplier_id}": _supplier,
    "/projects/{project_id}": _project,
    "/storage-locations/{location_id}": _location,
    "/users/{user_id}": _user,
}


def versioned_puts(client) -> set[str]:
    """Paths whose PUT body requires ``version``, read from the OpenAPI document."""
    doc = client.get("/api/v1/openapi.json").json
    schemas = doc["components"]["schemas"]
    found = set()
    for path, operations in doc["paths"].items():
        body = operations.get("put", {}).get("requestBody", {})
        ref = body.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        if ref and "version" in schemas[ref.rsplit("/", 1)[1]].get("required", []):
            found.add(path)
    return found


def test_every_versioned_put_in_the_openapi_document_has_its_writers_here(client) -> None:
    assert versioned_puts(client) == set(WRITERS)


@pytest.mark.parametrize("path", sorted(WRITERS))
def test_the_second_writer_with_the_same_version_gets_409_and_the_first_wins(
    app, client, auth, path
) -> None:
    writers = WRITERS[path](app, client, auth)
    headers = auth(writers.username)
    seen = client.get(writers.url, headers=headers)
    assert seen.status_code == 200, seen.json
    version = seen.json["data"][writers.key]["version"]

    first = client.put(writers.url, json={**writers.first, "version": version}, headers=headers)
    assert first.status_code == 200, first.json
    won = first.json["data"][writers.key]["version"]
    assert won > version
    second = client.put(writers.url, json={**writers.second, "version": version}, headers=headers)
    assert second.status_code == 409, second.json
    assert second.json["error"]["code"] == "STALE_VERSION"
    assert second.json["error"]["details"]["current_version"] == won

    final = client.get(writers.url, headers=headers).json["data"][writers.key]
    assert final["version"] == won
    assert writers.kept(final) == writers.expected
