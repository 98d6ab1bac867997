"""Suppliers and catalog items: CRUD, validation, roles, visibility, versions, search."""

from __future__ import annotations

from sqlalchemy import select

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from tests.conftest import counted_statements

ACME = {"code": "acme", "name": "Acme Fasteners", "contact_email": "Sales@Acme.example"}


def _create(client, headers, path, body, key):
    response = client.post(f"/api/v1/{path}", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["data"][key]


def supplier(client, auth, **overrides):
    return _create(client, auth("buyer"), "suppliers", {**ACME, **overrides}, "supplier")


def item(client, auth, **overrides):
    body = {"sku": "bolt-m8", "name": "Hex bolt M8x20", **overrides}
    return _create(client, auth("buyer"), "items", body, "item")


def listed(client, headers, path, key):
    response = client.get(f"/api/v1/{path}", headers=headers)
    assert response.status_code == 200, response.json
    return [row[key] for row in response.json["data"][path.split("?")[0]]]


def test_buyer_creates_a_supplier_with_normalised_code_and_default_terms(client, auth):
    created = supplier(client, auth, code=" acme-01 ", contact_phone="", address="1 Main St")
    assert created["code"] == "ACME-01"
    assert created["payment_terms_days"] == 30
    assert created["contact_phone"] is None
    assert created["is_active"] is True and created["version"] == 1
    assert created["created_at"].endswith("Z")


def test_any_authenticated_user_reads_suppliers_and_items(app, client, auth):
    made = supplier(client, auth)
    thing = item(client, auth, preferred_supplier_id=made["id"])
    for who in ("engineer", "accountant", "storekeeper", "admin"):
        assert listed(client, auth(who), "suppliers", "code") == ["ACME"]
        assert listed(client, auth(who), "items", "sku") == ["BOLT-M8"]
        one = client.get(f"/api/v1/items/{thing['id']}", headers=auth(who))
        assert one.status_code == 200
        assert one.json["data"]["item"]["preferred_supplier"]["code"] == "ACME"
    anonymous = app.test_client()  # ``client`` holds the login cookies
    assert anonymous.get("/api/v1/suppliers").status_code == 401
    assert anonymous.get(f"/api/v1/items/{thing['id']}").status_code == 401


def test_only_holders_of_the_manage_permissions_write(client, auth):
    made = supplier(client, auth)
    thing = item(client, auth)
    writes = [
        ("POST", "/api/v1/suppliers", {"code": "NEW", "name": "New"}),
        ("PUT", f"/api/v1/suppliers/{made['id']}", {"name": "X", "version": 1}),
        ("POST", f"/api/v1/suppliers/{made['id']}/deactivate", None),
        ("POST", f"/api/v1/suppliers/{made['id']}/activate", None),
        ("POST", "/api/v1/items", {"sku": "NEW", "name": "New"}),
        ("PUT", f"/api/v1/items/{thing['id']}", {"name": "X", "version": 1}),
        ("POST", f"/api/v1/items/{thing['id']}/deactivate", None),
        ("POST", f"/api/v1/items/{thing['id']}/activate", None),
    ]
    for who in ("engineer", "accountant", "admin"):
        for method, path, body in writes:
            response = client.open(path, method=method, json=body, headers=auth(who))
            assert response.status_code == 403, (who, method, path)
            assert response.json["error"]["code"] == "FORBIDDEN"
    # stores staff manage items but not suppliers
    _create(client, auth("storekeeper"), "items", {"sku": "S1", "name": "S"}, "item")
    assert (
        client.post("/api/v1/suppliers", json=ACME, headers=auth("storekeeper")).status_code == 403
    )
    _create(client, auth("procmgr"), "suppliers", {**ACME, "code": "PM"}, "supplier")


def test_supplier_field_errors_are_422_per_field(client, auth):
    body = {"code": "a", "contact_email": "x@", "payment_terms_days": 400, "contact_phone": "me"}
    body["rating"] = 5  # unknown fields are refused
    response = client.post("/api/v1/suppliers", json=body, headers=auth("buyer"))
    assert response.status_code == 422
    details = response.json["error"]["details"]
    expected = {"code", "name", "contact_email", "payment_terms_days", "contact_phone", "rating"}
    assert expected <= set(details)
    strict = client.post(
        "/api/v1/suppliers", json={**ACME, "payment_terms_days": "30"}, headers=auth("buyer")
    )
    assert "payment_terms_days" in strict.json["error"]["details"]


def test_duplicate_supplier_code_is_422_on_the_code_field_whatever_the_case(client, auth):
    supplier(client, auth, code="ACME")
    again = client.post("/api/v1/suppliers", json={**ACME, "code": "acme"}, headers=auth("buyer"))
    assert again.status_code == 422
    assert again.json["error"]["details"] == {"code": ["Already in use."]}
    other = supplier(client, auth, code="OTHER")
    renamed = client.put(
        f"/api/v1/suppliers/{other['id']}",
        json={"code": "ACME", "version": 1},
        headers=auth("buyer"),
    )
    assert renamed.status_code == 422 and "code" in renamed.json["error"]["details"]


def test_update_needs_the_current_version_and_stale_is_409(client, auth):
    made = supplier(client, auth)
    path = f"/api/v1/suppliers/{made['id']}"
    first = client.put(path, json={"payment_terms_days": 45, "version": 1}, headers=auth("buyer"))
    assert first.status_code == 200
    assert first.json["data"]["supplier"]["version"] == 2
    assert first.json["data"]["supplier"]["payment_terms_days"] == 45
    stale = client.put(path, json={"name": "Late", "version": 1}, headers=auth("procmgr"))
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "STALE_VERSION"
    missing = client.put(path, json={"name": "No version"}, headers=auth("buyer"))
    assert missing.status_code == 422 and "version" in missing.json["error"]["details"]
    absent = client.put("/api/v1/suppliers/999999", json={"version": 1}, headers=auth("buyer"))
    assert absent.status_code == 404


def test_deactivated_records_leave_the_lists_unless_a_manager_asks(client, auth):
    acme = supplier(client, auth)
    supplier(client, auth, code="BETA", name="Beta Tools")
    off = client.post(f"/api/v1/suppliers/{acme['id']}/deactivate", headers=auth("buyer"))
    assert off.status_code == 200 and off.json["data"]["supplier"]["is_active"] is False
    engineer = auth("engineer")
    for query in ("", "?include_inactive=true", "?is_active=true"):
        assert listed(client, engineer, f"suppliers{query}", "code") == ["BETA"]
    assert listed(client, engineer, "suppliers?is_active=false", "code") == []
    buyer = auth("buyer")
    assert listed(client, buyer, "suppliers", "code") == ["BETA"]
    assert listed(client, buyer, "suppliers?is_active=false", "code") == ["ACME"]
    assert listed(client, buyer, "suppliers?include_inactive=true", "code") == ["ACME", "BETA"]
    # history stays readable
    assert client.get(f"/api/v1/suppliers/{acme['id']}", headers=engineer).status_code == 200
    back = client.post(f"/api/v1/suppliers/{acme['id']}/activate", headers=buyer)
    assert back.json["data"]["supplier"]["is_active"] is True
    assert listed(client, engineer, "suppliers", "code") == ["ACME", "BETA"]


def test_every_change_is_audited_with_old_and_new_values(app, client, auth, users):
    made = supplier(client, auth)
    thing = item(client, auth)
    path = f"/api/v1/suppliers/{made['id']}"
    client.put(path, json={"name": "Acme Ltd", "version": 1}, headers=auth("buyer"))
    client.post(f"{path}/deactivate", headers=auth("buyer"))
    client.post(f"{path}/activate", headers=auth("buyer"))
    client.put(
        f"/api/v1/items/{thing['id']}",
        json={"last_price": "9.99", "version": 1},
        headers=auth("buyer"),
    )
    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog)
            .where(AuditLog.resource_type.in_(["supplier", "item"]))
            .order_by(AuditLog.id)
        ).all()
        actions = [(r.resource_type, r.action) for r in rows]
        assert actions == [
            ("supplier", "supplier.create"),
            ("item", "item.create"),
            ("supplier", "supplier.update"),
            ("supplier", "supplier.deactivate"),
            ("supplier", "supplier.activate"),
            ("item", "item.update"),
        ]
        update = rows[2]
        assert update.old_values == {"name": "Acme Fasteners"}
        assert update.new_values == {"name": "Acme Ltd"}
        assert update.actor_id == users["buyer"].id and update.resource_id == made["id"]
        assert rows[5].old_values == {"last_price": None}
        assert rows[5].new_values == {"last_price": "9.99"}


def test_same_idempotency_key_creates_one_supplier_and_one_item(client, auth):
    headers = {**auth("buyer"), "Idempotency-Key": "supplier-acme-1"}
    first = client.post("/api/v1/suppliers", json=ACME, headers=headers)
    second = client.post("/api/v1/suppliers", json=ACME, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json["data"] == second.json["data"]
    headers = {**auth("buyer"), "Idempotency-Key": "item-bolt-1"}
    for _ in range(2):
        client.post("/api/v1/items", json={"sku": "B1", "name": "Bolt"}, headers=headers)
    assert listed(client, auth("buyer"), "suppliers", "code") == ["ACME"]
    assert listed(client, auth("buyer"), "items", "sku") == ["B1"]


def test_supplier_search_is_case_insensitive_over_code_name_and_email(client, auth):
    supplier(client, auth)
    supplier(client, auth, code="NORD", name="Nordic Steel", contact_email="orders@nordic.example")
    supplier(client, auth, code="X_100", name="Percent 100% Ltd", contact_email=None)
    engineer = auth("engineer")
    assert listed(client, engineer, "suppliers?q=FASTEN", "code") == ["ACME"]
    assert listed(client, engineer, "suppliers?q=nord", "code") == ["NORD"]
    assert listed(client, engineer, "suppliers?q=ACME.EXAMPLE", "code") == ["ACME"]
    assert listed(client, engineer, "suppliers?q=100%25", "code") == ["X_100"]
    assert listed(client, engineer, "suppliers?q=_", "code") == ["X_100"]
    assert listed(client, engineer, "suppliers?sort=-name", "code") == ["X_100", "NORD", "ACME"]
    bad = client.get("/api/v1/suppliers?sort=tax_id", headers=engineer)
    assert bad.status_code == 422 and "sort" in bad.json["error"]["details"]


def test_item_amounts_are_exact_strings_and_defaults_apply(client, auth):
    made = item(client, auth, reorder_level=5, last_price=12.5, uom="box", category="Fasteners")
    assert made["reorder_level"] == "5.000"
    assert made["last_price"] == "12.50"
    assert made["uom"] == "BOX" and made["sku"] == "BOLT-M8"
    plain = item(client, auth, sku="NUT-M8", name="Nut", last_price="0.125")
    assert plain["uom"] == "EA" and plain["reorder_level"] == "0.000"
    assert plain["last_price"] == "0.13"  # half-up
    assert plain["preferred_supplier"] is None and plain["category"] is None


def test_item_field_errors_are_422_per_field(client, auth):
    cases = [
        ({"sku": "ok", "name": "x", "last_price": "-1"}, "last_price"),
        ({"sku": "ok", "name": "x", "last_price": "abc"}, "last_price"),
        ({"sku": "ok", "name": "x", "reorder_level": "1000000000"}, "reorder_level"),
        ({"sku": "ok", "name": "x", "reorder_level": True}, "reorder_level"),
        ({"sku": "bad sku!", "name": "x"}, "sku"),
        ({"sku": "ok", "name": ""}, "name"),
        ({"sku": "ok", "name": "x", "preferred_supplier_id": "1"}, "preferred_supplier_id"),
        ({"sku": "ok", "name": "x", "preferred_supplier_id": 999999}, "preferred_supplier_id"),
        ({"sku": "ok", "name": "x", "is_active": False}, "is_active"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/items", json=body, headers=auth("buyer"))
        assert response.status_code == 422, body
        assert field in response.json["error"]["details"], body


def test_duplicate_sku_is_422_and_inactive_supplier_cannot_become_preferred(client, auth):
    item(client, auth)
    again = client.post(
        "/api/v1/items", json={"sku": "Bolt-M8", "name": "Dup"}, headers=auth("buyer")
    )
    assert again.status_code == 422
    assert again.json["error"]["details"] == {"sku": ["Already in use."]}
    made = supplier(client, auth)
    client.post(f"/api/v1/suppliers/{made['id']}/deactivate", headers=auth("buyer"))
    refused = client.post(
        "/api/v1/items",
        json={"sku": "NUT", "name": "Nut", "preferred_supplier_id": made["id"]},
        headers=auth("buyer"),
    )
    assert (
        refused.status_code == 422 and "preferred_supplier_id" in refused.json["error"]["details"]
    )


def test_item_update_is_versioned(client, auth):
    made = item(client, auth)
    path = f"/api/v1/items/{made['id']}"
    ok = client.put(path, json={"reorder_level": "2.5", "version": 1}, headers=auth("storekeeper"))
    assert ok.status_code == 200
    assert ok.json["data"]["item"]["reorder_level"] == "2.500"
    assert ok.json["data"]["item"]["version"] == 2
    stale = client.put(path, json={"name": "Old view", "version": 1}, headers=auth("buyer"))
    assert stale.status_code == 409 and stale.json["error"]["code"] == "STALE_VERSION"


def test_item_filters_search_and_visibility(client, auth):
    acme = supplier(client, auth)
    item(client, auth, category="Fasteners", preferred_supplier_id=acme["id"])
    item(client, auth, sku="GLOVE-L", name="Gloves", description="Nitrile, size L", category="PPE")
    old = item(client, auth, sku="OLD-1", name="Obsolete", category="Fasteners")
    client.post(f"/api/v1/items/{old['id']}/deactivate", headers=auth("buyer"))
    engineer = auth("engineer")
    assert listed(client, engineer, "items?category=Fasteners", "sku") == ["BOLT-M8"]
    assert listed(client, engineer, f"items?preferred_supplier_id={acme['id']}", "sku") == [
        "BOLT-M8"
    ]
    assert listed(client, engineer, "items?q=nitrile", "sku") == ["GLOVE-L"]
    assert listed(client, engineer, "items?q=glove", "sku") == ["GLOVE-L"]
    assert listed(client, engineer, "items?is_active=false", "sku") == []
    assert listed(client, auth("storekeeper"), "items?is_active=false", "sku") == ["OLD-1"]
    everything = listed(client, auth("buyer"), "items?include_inactive=true&sort=-sku", "sku")
    assert everything == ["OLD-1", "GLOVE-L", "BOLT-M8"]


def test_item_list_issues_a_bounded_number_of_queries_whatever_the_page_size(app, client, auth):
    suppliers = [supplier(client, auth, code=f"S{n}", name=f"Supplier {n}") for n in range(5)]
    for n in range(30):
        item(client, auth, sku=f"SKU-{n:02}", preferred_supplier_id=suppliers[n % 5]["id"])
    headers = auth("engineer")
    client.get("/api/v1/auth/me", headers=headers)  # the process now holds the user
    counts = {}
    for per_page in (2, 30):
        with counted_statements(app) as statements:
            response = client.get(f"/api/v1/items?per_page={per_page}", headers=headers)
        assert len(response.json["data"]["items"]) == per_page
        assert all(row["preferred_supplier"]["code"] for row in response.json["data"]["items"])
        counts[per_page] = len(statements)
    assert counts[2] == counts[30] <= 5, counts


def test_supplier_and_item_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/suppliers", "/suppliers/{supplier_id}", "/items/{item_id}/deactivate"} <= set(paths)
