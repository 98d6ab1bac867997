"""Bulk imports: dry run preview, commit of exactly the preview, idempotent re-import."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from reqflow.audit.models import AuditLog
from reqflow.catalog.models import Item, Supplier
from reqflow.extensions import db
from reqflow.inventory.ledger import StockBalance
from reqflow.inventory.models import StorageLocation
from reqflow.projects.models import Project
from tests.integration.imports_util import (
    ITEM_HEADER,
    commit,
    csv_bytes,
    item_rows,
    read,
    uploaded,
    xlsx_bytes,
)

SUPPLIERS = [
    ["code", "name", "contact_email", "payment_terms_days", "tax_id"],
    ["ACME", "Acme Bearings", "orders@acme.example", "45", "US-1"],
    ["BOLT", "Bolt & Nut Co", "", "30", ""],
]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _suppliers(client, auth) -> None:
    commit(
        client,
        auth("buyer"),
        uploaded(client, auth("buyer"), "suppliers", csv_bytes(SUPPLIERS))["id"],
    )


def test_a_file_with_ten_kinds_of_row_errors_lists_each_exactly(app, client, auth):
    _suppliers(client, auth)
    rows = [
        ITEM_HEADER,
        ["", "No SKU", "EA", "", "1", ""],  # 2 required sku missing
        ["A-1", "", "EA", "", "1", ""],  # 3 required name missing
        ["bad sku!", "Bad SKU", "EA", "", "1", ""],  # 4 sku format
        ["A-4", "Bad number", "EA", "", "lots", ""],  # 5 not a number
        ["A-5", "Negative", "EA", "", "-1", ""],  # 6 below minimum
        ["A-6", "Bad unit", "E A!", "", "1", ""],  # 7 uom format
        ["A-7", "No such supplier", "EA", "", "1", "NOPE"],  # 8 unknown reference
        ["A-8", "x" * 201, "EA", "", "1", ""],  # 9 too long
        ["A-9", "Fine", "EA", "", "1", "ACME"],  # 10 valid
        ["a-9", "Same SKU again", "EA", "", "1", ""],  # 11 duplicate in the file
        ["A-11", "Category too long", "EA", "c" * 101, "1", ""],  # 12 category length
    ]
    preview = uploaded(client, auth("buyer"), "items", csv_bytes(rows))
    assert preview["status"] == "validated"
    found = {(e["row"], e["column"]) for e in preview["errors"]}
    assert found == {
        (2, "sku"),
        (3, "name"),
        (4, "sku"),
        (5, "reorder_level"),
        (6, "reorder_level"),
        (7, "uom"),
        (8, "preferred_supplier_code"),
        (9, "name"),
        (11, "sku"),
        (12, "category"),
    }
    assert preview["error_count"] == 10
    messages = {e["row"]: e["message"] for e in preview["errors"]}
    assert messages[8] == "No supplier 'NOPE'."
    assert messages[11] == "Duplicate of row 10."
    assert preview["counts"] == {"create": 1, "update": 0, "skip": 0}
    refused = client.post(f"/api/v1/imports/{preview['id']}/commit", headers=auth("buyer"))
    assert refused.status_code == 409
    assert _count(app, Item) == 0


def test_commit_creates_exactly_the_previewed_rows_and_reimport_is_a_no_op(app, client, auth):
    _suppliers(client, auth)
    data = csv_bytes([ITEM_HEADER, *item_rows(40, supplier="ACME")])
    preview = uploaded(client, auth("buyer"), "items", data)
    assert preview["counts"] == {"create": 40, "update": 0, "skip": 0}
    assert _count(app, Item) == 0  # the dry run wrote nothing
    done = commit(client, auth("buyer"), preview["id"])
    assert done["status"] == "committed"
    assert _count(app, Item) == 40
    with app.app_context():
        commits = select(AuditLog).where(
            AuditLog.action == "import.commit", AuditLog.resource_id == preview["id"]
        )
        entry = db.session.scalars(commits).one()
        assert entry.new_values["sha256"] == preview["sha256"]
        assert entry.new_values["counts"] == {"create": 40, "update": 0, "skip": 0}
        per_item = select(func.count()).where(AuditLog.action == "item.create")
        assert db.session.scalar(per_item) == 40
        item = db.session.scalars(select(Item).where(Item.sku == "SKU-000007")).one()
        assert item.preferred_supplier.code == "ACME" and item.reorder_level == Decimal("5")

    again = uploaded(client, auth("buyer"), "items", data)
    assert again["counts"] == {"create": 0, "update": 0, "skip": 40}
    commit(client, auth("buyer"), again["id"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(AuditLog.action == "item.update")) == 0

    changed = [ITEM_HEADER, *item_rows(40, supplier="ACME")]
    changed[3][1] = "Part 3, renamed"
    third = uploaded(client, auth("buyer"), "items", csv_bytes(changed))
    assert third["counts"] == {"create": 0, "update": 1, "skip": 39}
    commit(client, auth("buyer"), third["id"])
    with app.app_context():
        renamed = db.session.scalars(select(Item).where(Item.sku == "SKU-000003")).one()
        assert renamed.name == "Part 3, renamed"
        update = db.session.scalars(select(AuditLog).where(AuditLog.action == "item.update")).one()
        assert update.old_values == {"name": "Part 3"}
    assert _count(app, Item) == 40


def test_xlsx_formulas_are_read_as_values_and_latin1_semicolon_csv_is_understood(app, client, auth):
    workbook = xlsx_bytes([["code", "name", "payment_terms_days"], ["F1", "=1+1", 30]])
    preview = uploaded(client, auth("buyer"), "suppliers", workbook, "s.xlsx")
    # openpyxl never evaluates: a formula without a cached value is an empty cell.
    assert [(e["row"], e["column"]) for e in preview["errors"]] == [(2, "name")]
    latin = csv_bytes([["code", "name"], ["MUE", "Müller Maschinenbau"]], delimiter=";")
    preview = uploaded(client, auth("buyer"), "suppliers", latin.decode().encode("latin-1"))
    commit(client, auth("buyer"), preview["id"])
    with app.app_context():
        assert db.session.scalars(select(Supplier.name)).one() == "Müller Maschinenbau"


def test_locations_projects_and_opening_stock(app, client, auth, users):
    _suppliers(client, auth)
    commit(
        client,
        auth("buyer"),
        uploaded(client, auth("buyer"), "items", csv_bytes([ITEM_HEADER, *item_rows(3)]))["id"],
    )
    locations = csv_bytes(
        [["code", "name", "capacity"], ["A-01-01", "Aisle 1", "100"], ["B-02-03", "Bin", ""]]
    )
    commit(
        client,
        auth("storekeeper"),
        uploaded(client, auth("storekeeper"), "locations", locations)["id"],
    )
    projects = csv_bytes(
        [
            ["code", "name", "budget_amount", "owner_username"],
            ["LINE-4", "Line 4", "250000", "procmgr"],
        ]
    )
    commit(client, auth("procmgr"), uploaded(client, auth("procmgr"), "projects", projects)["id"])
    stock = [
        ["item_sku", "location_code", "quantity", "unit_cost"],
        ["SKU-000001", "A-01-01", "12", "4.20"],
        ["SKU-000002", "B-02-03", "3.5", ""],
    ]
    preview = uploaded(client, auth("storekeeper"), "stock", csv_bytes(stock))
    assert preview["counts"] == {"create": 2, "update": 0, "skip": 0}, preview["errors"]
    commit(client, auth("storekeeper"), preview["id"])
    again = uploaded(client, auth("storekeeper"), "stock", csv_bytes(stock))
    assert again["counts"] == {"create": 0, "update": 0, "skip": 2}
    stock[1][2] = "10"
    third = uploaded(client, auth("storekeeper"), "stock", csv_bytes(stock))
    assert third["counts"] == {"create": 0, "update": 1, "skip": 1}
    commit(client, auth("storekeeper"), third["id"])
    with app.app_context():
        balances = {b.quantity for b in db.session.scalars(select(StockBalance))}
        assert balances == {Decimal("10"), Decimal("3.5")}
        project = db.session.scalars(select(Project)).one()
        assert (
            project.budget_amount == Decimal("250000") and project.owner_id == users["procmgr"].id
        )
    assert _count(app, StorageLocation) == 2


def test_each_kind_needs_its_permission_and_imports_are_private(client, auth):
    data = csv_bytes(SUPPLIERS)
    refused = client.post("/api/v1/imports/suppliers", headers=auth("engineer"))
    assert refused.status_code == 403
    mine = uploaded(client, auth("buyer"), "suppliers", data)
    assert client.get(f"/api/v1/imports/{mine['id']}", headers=auth("procmgr")).status_code == 404
    assert client.get("/api/v1/imports/nonsense/template", headers=auth("buyer")).status_code == 404
    assert read(client, auth("buyer"), mine["id"])["counts"]["create"] == 2


def test_admin_imports_every_kind_and_other_roles_what_they_manage(client, auth):
    def kinds(user: str) -> set[str]:
        response = client.get("/api/v1/imports/kinds", headers=auth(user))
        return {k["kind"] for k in response.get_json()["data"]["kinds"]}

    assert kinds("admin") == {"suppliers", "items", "projects", "locations", "stock", "users"}
    assert kinds("buyer") == {"suppliers", "items"}
    assert kinds("engineer") == set()
    done = commit(
        client,
        auth("admin"),
        uploaded(client, auth("admin"), "suppliers", csv_bytes(SUPPLIERS))["id"],
    )
    assert done["status"] == "committed" and done["counts"]["create"] == 2
    refused = client.get("/api/v1/imports/users/template", headers=auth("buyer"))
    assert refused.status_code == 403


def test_template_and_error_report(client, auth):
    template = client.get("/api/v1/imports/items/template", headers=auth("buyer"))
    assert template.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(template.data)).active
    assert [c.value for c in sheet[1]] == [
        "sku", "name", "description", "uom", "category", "reorder_level",
        "preferred_supplier_code", "last_price",
    ]  # fmt: skip
    assert sheet.data_validations.dataValidation[0].formula1 == '"EA,BOX,KG,M,L"'
    preview = uploaded(
        client, auth("buyer"), "items", csv_bytes([["sku", "name"], ["OK-1", "Fine"], ["", "x"]])
    )
    report = client.get(f"/api/v1/imports/{preview['id']}/error-report", headers=auth("buyer"))
    lines = report.data.decode().splitlines()
    assert lines[0] == "sku,name,error"
    assert lines[1] == "OK-1,Fine,"
    assert lines[2].startswith(",x,sku: ")


def test_a_commit_after_the_data_changed_fails_whole_and_can_be_retried(app, client, auth):
    data = csv_bytes([ITEM_HEADER, *item_rows(5)])
    preview = uploaded(client, auth("buyer"), "items", data)
    # Someone creates one of the items between the preview and the commit.
    other = uploaded(client, auth("buyer"), "items", csv_bytes([ITEM_HEADER, *item_rows(1)]))
    commit(client, auth("buyer"), other["id"])
    failed = commit(client, auth("buyer"), preview["id"])
    assert failed["status"] == "failed"
    assert "changed since the preview" in failed["message"]
    assert _count(app, Item) == 1  # nothing of the failed import applied
    with app.app_context():
        entry = select(func.count()).where(AuditLog.action == "import.fail")
        assert db.session.scalar(entry) == 1
    again = commit(client, auth("buyer"), preview["id"])
    assert again["status"] == "failed" and again["attempts"] == 2
