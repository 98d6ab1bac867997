"""Every list exports exactly the rows it shows under the same filters, sort and visibility,
as CSV (formula-safe) and as XLSX (typed cells), streamed in the response."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.integration.exporting import (
    EVIL,
    csv_rows,
    exported,
    listed,
    world,
    xlsx_rows,
    xlsx_sheet,
)

# kind, list path, list key, list field, export column, user, filters (with sort)
CASES = [
    ("requisitions", "/requisitions", "requisitions", "req_number", "Number", "engineer", {}),
    (
        "requisitions",
        "/requisitions",
        "requisitions",
        "req_number",
        "Number",
        "lead",
        {"status": "Submitted,Under Review", "sort": "req_number"},
    ),
    ("requisitions", "/requisitions", "requisitions", "req_number", "Number", "engineer2", {}),
    ("purchase_orders", "/purchase-orders", "purchase_orders", "po_number", "Number", "buyer", {}),
    ("goods_receipts", "/inventory/receipts", "receipts", "grn_number", "Number", "buyer", {}),
    ("inventory", "/inventory", "inventory", "id", "Id", "storekeeper", {"sort": "-quantity"}),
    ("invoices", "/invoices", "invoices", "inv_number", "Number", "accountant", {}),
    ("payments", "/payments", "payments", "payment_number", "Number", "accountant", {}),
    (
        "audit_logs",
        "/audit-logs",
        "audit_logs",
        "id",
        "Id",
        "admin",
        {"action": "purchase_order.send"},
    ),
    ("audit_logs", "/audit-logs", "audit_logs", "id", "Id", "admin", {}),
    ("users", "/users", "users", "username", "Username", "admin", {"role": "Engineer"}),
    ("users", "/users", "users", "username", "Username", "admin", {"sort": "-username"}),
]


@pytest.fixture
def data(app, client, auth):
    return world(app, client, auth)


def _as_listed(value, field: str):
    return int(value) if field == "id" else value


@pytest.mark.parametrize(("kind", "path", "key", "field", "title", "user", "params"), CASES)
def test_each_export_holds_the_rows_its_list_shows(
    client, auth, data, kind, path, key, field, title, user, params
):
    headers = auth(user)
    expected = listed(client, headers, path, key, field, params)
    assert expected, f"the {kind} list is empty: the comparison would prove nothing"
    as_csv = exported(client, headers, kind, params, "csv")
    assert as_csv.status_code == 200, as_csv.get_data(as_text=True)[:300]
    assert as_csv.mimetype == "text/csv"
    assert [_as_listed(r[title], field) for r in csv_rows(as_csv)] == expected
    as_xlsx = exported(client, headers, kind, params, "xlsx")
    assert as_xlsx.status_code == 200
    assert [_as_listed(r[title], field) for r in xlsx_rows(as_xlsx.data)] == expected


def test_an_engineer_exports_only_the_requisitions_they_may_see(client, auth, data):
    mine = csv_rows(exported(client, auth("engineer"), "requisitions", {}, "csv"))
    everyone = csv_rows(exported(client, auth("lead"), "requisitions", {}, "csv"))
    assert len(mine) == 2 and len(everyone) == 3
    assert {r["Requester"] for r in mine} == {"Engineer"}


def test_xlsx_cells_are_typed_with_a_frozen_header(client, auth, data):
    response = exported(client, auth("accountant"), "invoices", {}, "xlsx")
    sheet = xlsx_sheet(response.data)
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    # 10 × 2.50 = 25.00, plus 5 % tax = 1.25: 26.25
    assert row["Total"].value == pytest.approx(26.25)
    assert row["Total"].number_format == "#,##0.00"
    assert isinstance(row["Invoice date"].value, datetime)
    assert row["Invoice date"].value.date() == date(2026, 3, 1)
    assert row["Supplier"].data_type == "s" and row["Supplier"].value == EVIL
    assert sheet[1][0].font.b


def test_a_supplier_named_like_a_formula_comes_out_inert(client, auth, data):
    rows = csv_rows(exported(client, auth("buyer"), "purchase_orders", {}, "csv"))
    assert rows[0]["Supplier"] == "'" + EVIL
    sheet = xlsx_sheet(exported(client, auth("buyer"), "purchase_orders", {}, "xlsx").data)
    supplier = next(c for c in sheet[2] if c.value and "HYPERLINK" in str(c.value))
    assert supplier.data_type == "s"  # a string cell, never a formula


def test_a_list_the_caller_may_not_see_cannot_be_exported(client, auth, data):
    for kind in ("audit_logs", "users", "invoices", "payments"):
        response = exported(client, auth("engineer"), kind, {}, "csv")
        assert response.status_code == 403, kind
        assert response.json["error"]["code"] == "FORBIDDEN"


def test_bad_export_requests_get_the_error_envelope(client, auth, data):
    headers = auth("admin")
    assert exported(client, headers, "nothing", {}, "csv").status_code == 404
    bad_format = exported(client, headers, "users", {}, "pdf")
    assert bad_format.status_code == 422 and "format" in bad_format.json["error"]["details"]
    bad_sort = exported(client, headers, "users", {"sort": "password_hash"}, "csv")
    assert bad_sort.status_code == 422
    bad_filter = exported(client, headers, "requisitions", {"status": "Lost"}, "csv")
    assert bad_filter.status_code == 422


def test_a_list_over_the_stream_limit_must_be_exported_in_the_background(app, client, auth, data):
    app.config["EXPORT_STREAM_LIMIT"] = 2
    try:
        response = exported(client, auth("lead"), "requisitions", {}, "csv")
    finally:
        app.config["EXPORT_STREAM_LIMIT"] = 5000
    assert response.status_code == 413
    assert response.json["error"]["code"] == "EXPORT_TOO_LARGE"


def test_the_export_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    streamed = paths["/exports/{kind}"]["get"]
    kind = next(p for p in streamed["parameters"] if p.get("name") == "kind")
    assert kind["schema"]["type"] == "string" and "audit_logs" in kind["schema"]["enum"]
    assert "text/csv; charset=utf-8" in streamed["responses"]["200"]["content"]
    assert "201" in paths["/exports"]["post"]["responses"]
    for path in ("/requisitions/{requisition_id}/pdf", "/invoices/{invoice_id}/pdf"):
        assert "application/pdf" in paths[path]["get"]["responses"]["200"]["content"]
