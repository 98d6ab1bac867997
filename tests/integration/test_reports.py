"""Spend, approval cycle time, supplier performance and AP aging through the HTTP API, on a
hand-built data set (report_data.py) whose figures are worked out by hand below."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.integration.report_data import EVIL_NAME, build

SPEND = "/api/v1/reports/spend"
CYCLE = "/api/v1/reports/approval-cycle-time"
PERF = "/api/v1/reports/supplier-performance"


@pytest.fixture
def data(app, users):
    return build(app)


def _get(client, auth, url, user="procmgr", **params):
    response = client.get(url, query_string=params, headers=auth(user))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def _groups(client, auth, **params):
    report = _get(client, auth, SPEND, **params).json["data"]["spend"]
    return report, {g["label"]: g for g in report["groups"]}


def _amounts(group):
    return group["committed"], group["received"], group["invoiced"], group["paid"]


def test_spend_by_supplier_with_shares(client, auth, data):
    report, groups = _groups(client, auth, group_by="supplier")
    # ACME: committed PO1 10×10.00 + 5×20.00 = 200.00 and PO2 20×11.00 = 220.00 → 420.00;
    # received (returned goods excluded) 10×10.00 + 5×20.00 + 15×11.00 = 365.00;
    # invoiced INV-T1 10×10.00 + 5×21.00 = 205.00 and INV-T2 15×11.00 = 165.00 → 370.00;
    # paid 205.00 (INV-T1 in full) + 165.00 × 66/165 = 66.00 → 271.00
    assert _amounts(groups["Acme Tools"]) == ("420.00", "365.00", "370.00", "271.00")
    # BOLT: PO3 10×30.00 = 300.00 (PO4 is cancelled); INV-T3 is void, INV-T4 10×27.00 = 270.00
    assert _amounts(groups["Bolt & Co"]) == ("300.00", "0.00", "270.00", "0.00")
    assert _amounts(groups[EVIL_NAME]) == ("50.00", "0.00", "0.00", "0.00")
    # totals 420 + 300 + 50 = 770.00; shares 420/770, 300/770, 50/770
    assert report["totals"] == {
        "committed": "770.00", "received": "365.00", "invoiced": "640.00", "paid": "271.00"
    }  # fmt: skip
    shares = [(g["label"], g["share"]) for g in report["groups"]]
    assert shares == [("Acme Tools", "0.5455"), ("Bolt & Co", "0.3896"), (EVIL_NAME, "0.0649")]
    assert groups["Acme Tools"]["group_id"] == data["acme"]
    assert groups["Acme Tools"]["po_count"] == 2


def test_spend_by_department_project_category_and_month(client, auth, data):
    _, dept = _groups(client, auth, group_by="department")
    # Design: REQ-T1's lines on PO1 (200.00 committed, all received, 205.00 invoiced and paid)
    assert _amounts(dept["Design"]) == ("200.00", "200.00", "205.00", "205.00")
    assert _amounts(dept["Plant"]) == ("220.00", "165.00", "165.00", "66.00")
    assert _amounts(dept["(none)"]) == ("350.00", "0.00", "270.00", "0.00")  # PO3 300 + PO5 50
    _, proj = _groups(client, auth, group_by="project")
    # budget vs committed: Apollo 1000.00 − 200.00 = 800.00; Borealis 500.00 − 220.00 = 280.00
    apollo = proj["APL Apollo"]
    assert (apollo["committed"], apollo["budget"], apollo["budget_remaining"]) == (
        "200.00", "1000.00", "800.00"
    )  # fmt: skip
    assert (proj["BOR Borealis"]["budget_remaining"], proj["(none)"]["budget"]) == ("280.00", None)
    _, cat = _groups(client, auth, group_by="category")
    # Fasteners: L1 100 + L3 220 + L5 50 = 370 committed; received 100 + 165 = 265;
    # invoiced 100 + 165 = 265; paid 100 + 66 = 166.  Fluids: L2 100 + L4 300 = 400, …
    assert _amounts(cat["Fasteners"]) == ("370.00", "265.00", "265.00", "166.00")
    assert _amounts(cat["Fluids"]) == ("400.00", "100.00", "375.00", "105.00")
    report, months = _groups(client, auth, group_by="month")
    # by approval month: January PO1 200; February PO2 220 + PO3 300 = 520; March PO5 50
    assert {m: g["committed"] for m, g in months.items()} == {
        "2026-01": "200.00", "2026-02": "520.00", "2026-03": "50.00"
    }  # fmt: skip


def test_spend_filters_and_monthly_split(client, auth, data):
    report, groups = _groups(client, auth, group_by="supplier", project_id=data["apollo"])
    assert list(groups) == ["Acme Tools"] and groups["Acme Tools"]["committed"] == "200.00"
    report, groups = _groups(
        client, auth, group_by="project", **{"from": "2026-02-01", "to": "2026-02-28"}
    )
    # February only: PO2 (Borealis 220) and PO3 (no project, 300)
    assert {k: g["committed"] for k, g in groups.items()} == {
        "(none)": "300.00",
        "BOR Borealis": "220.00",
    }
    report, _ = _groups(
        client, auth, group_by="supplier", supplier_id=data["acme"], status="Received"
    )
    assert report["totals"]["committed"] == "200.00"  # PO1 only
    report, _ = _groups(client, auth, group_by="supplier")
    split = {(m["month"], m["label"]): m["committed"] for m in report["by_month"]}
    assert split == {
        ("2026-01", "Acme Tools"): "200.00", ("2026-02", "Acme Tools"): "220.00",
        ("2026-02", "Bolt & Co"): "300.00", ("2026-03", EVIL_NAME): "50.00",
    }  # fmt: skip


def test_approval_cycle_time_medians_and_p90(client, auth, data):
    report = _get(client, auth, CYCLE).json["data"]["approval_cycle_time"]
    steps = {s["label"]: s for s in report["steps"]}
    line = steps["Line manager"]
    # decided in 2, 4 and 10 h: median 4; p90 at rank 0.9 × 2 = 1.8 → 4 + 0.8 × (10 − 4) = 8.8
    assert (line["count"], line["median_hours"], line["p90_hours"]) == (3, 4.0, 8.8)
    assert (line["overdue"], line["escalations"], line["delegations"]) == (1, 1, 0)
    head = steps["Procurement manager"]
    # decided in 1 and 3 h: median 1 + 0.5 × 2 = 2; p90 1 + 0.9 × 2 = 2.8; one pending past due
    assert (head["count"], head["median_hours"], head["p90_hours"]) == (2, 2.0, 2.8)
    assert (head["overdue"], head["escalations"], head["delegations"]) == (1, 0, 1)
    people = {a["label"]: a for a in report["approvers"]}
    assert (people["Lead Approver"]["median_hours"], people["Lead Approver"]["p90_hours"]) == (
        4.0,
        8.8,
    )
    assert (people["Procurement Head"]["count"], people["Procurement Head"]["overdue"]) == (1, 1)
    assert (people["Site Admin"]["median_hours"], people["Site Admin"]["delegations"]) == (3.0, 1)
    assert people["Role: ProcurementMgr"]["count"] == 0
    slowest = [s["label"] for s in report["slowest_open"]]
    assert slowest == ["REQ-S6 · Procurement manager", "REQ-S7 · Procurement manager"]
    assert report["slowest_open"][0]["overdue"] is True


def test_supplier_performance(client, auth, data):
    report = _get(client, auth, PERF, user="buyer").json["data"]["supplier_performance"]
    rows = {r["code"]: r for r in report["suppliers"]}
    acme = rows["ACME"]
    # receipts: GRN-T1 01-19 ≤ 01-20 on time, GRN-T2 02-12 > 02-10 late, GRN-T3 02-09 on time → 2/3
    assert (acme["on_time_rate"], acme["receipts_rated"]) == ("0.6667", 3)
    # lead times from sending: 8, 6 and 3 days → median 6
    assert acme["lead_time_median_days"] == 6.0
    # lines received exactly: L1 10/10, L2 5/5, not L3 15/20 → 2/3
    assert acme["quantity_accuracy"] == "0.6667"
    # returned 3 of 10 + 5 + 15 + 3 = 33 received → 0.0909
    assert acme["return_rate"] == "0.0909"
    # vs PO: 5 × (21.00 − 20.00) = 5.00 over 10×10 + 5×20 + 15×11 = 365.00 → 0.0137
    assert acme["price_variance_po"] == "0.0137"
    # vs last price: L3 bolts at 11.00 after 10.00: 20 × 1.00 / (20 × 10.00) = 0.1
    assert acme["price_variance_last"] == "0.1000"
    assert (acme["invoice_count"], acme["invoice_exception_rate"], acme["spend"]) == (
        2,
        "0.5000",
        "420.00",
    )
    bolt = rows["BOLT"]
    # oil at 30.00 after 20.00 (the cancelled PO4 does not count): 10 × 10 / (10 × 20) = 0.5
    assert (bolt["price_variance_last"], bolt["invoice_exception_rate"]) == ("0.5000", "1.0000")
    assert (bolt["on_time_rate"], bolt["lead_time_median_days"], bolt["invoice_count"]) == (
        None,
        None,
        1,
    )
    assert rows["EVL"]["price_variance_last"] == "3.5455"  # 1 × (50 − 11) / 11


def test_permissions_and_bad_filters(client, auth, data):
    assert client.get(CYCLE, headers=auth("buyer")).status_code == 403
    assert client.get(SPEND, headers=auth("engineer")).status_code == 403
    assert client.get(PERF, headers=auth("storekeeper")).status_code == 403
    for user in ("accountant", "admin"):
        assert client.get(CYCLE, headers=auth(user)).status_code == 200
    bad = [
        {"group_by": "colour"},
        {"from": "2026-13-01"},
        {"from": "2026-03-01", "to": "2026-02-01"},
    ]
    bad += [{"status": "Draft"}, {"format": "pdf"}, {"project_id": "x"}]
    for params in bad:
        response = client.get(SPEND, query_string=params, headers=auth("procmgr"))
        assert response.status_code == 422, params
        assert response.json["success"] is False


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], sheet


def test_the_same_figures_through_csv_and_xlsx(client, auth, data):
    response = _get(client, auth, SPEND, group_by="supplier", format="csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {r["Group"]: r for r in _csv(response)}
    acme = rows["Acme Tools"]
    assert (acme["Committed"], acme["Received"], acme["Invoiced"], acme["Paid"]) == (
        "420.00", "365.00", "370.00", "271.00"
    )  # fmt: skip
    assert rows["Total"]["Committed"] == "770.00" and acme["Share of committed"] == "0.5455"
    book, sheet = _xlsx(_get(client, auth, SPEND, group_by="supplier", format="xlsx"))
    cells = {r["Group"]: r for r in book}
    assert (cells["Acme Tools"]["Committed"], cells["Total"]["Paid"]) == (420.0, 271.0)
    assert sheet.freeze_panes == "A2"
    perf, _ = _xlsx(_get(client, auth, PERF, format="xlsx"))
    acme = {r["Code"]: r for r in perf}["ACME"]
    assert (acme["On-time rate"], acme["Lead time median (days)"]) == (0.6667, 6.0)
    assert acme["Price variance vs PO"] == 0.0137
    cycle = _csv(_get(client, auth, CYCLE, format="csv"))
    line = next(r for r in cycle if r["Step / approver"] == "Line manager")
    assert (line["By"], line["Median hours"], line["P90 hours"]) == ("step", "4.0", "8.8")


def test_a_formula_named_supplier_stays_inert(client, auth, data):
    for url in (SPEND, PERF):
        text = _get(client, auth, url, format="csv").get_data(as_text=True)
        assert "'" + EVIL_NAME.replace('"', '""') in text  # quoted by CSV, led by an apostrophe
        book = load_workbook(io.BytesIO(_get(client, auth, url, format="xlsx").data)).active
        cells = [
            c for row in book.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)
        ]
        assert cells and all(c.data_type == "s" for c in cells)  # a string, not a formula


def test_ap_aging_exports(client, auth, data):
    json_report = _get(client, auth, "/api/v1/reports/ap-aging", as_of="2026-04-15")
    acme = {r["code"]: r for r in json_report.json["data"]["ap_aging"]["suppliers"]}["ACME"]
    # INV-T2 (Partially Paid) 165.00 − 66.00 = 99.00, due 03-31: 15 days past due on 04-15
    assert (acme["days_1_30"], acme["total"]) == ("99.00", "99.00")
    rows = {r["Code"]: r for r in _csv(_get(client, auth, "/api/v1/reports/ap-aging",
                                            as_of="2026-04-15", format="csv"))}  # fmt: skip
    assert rows["ACME"]["1–30 days"] == "99.00"
    book, _ = _xlsx(
        _get(client, auth, "/api/v1/reports/ap-aging", as_of="2026-04-15", format="xlsx")
    )
    assert {r["Code"]: r for r in book}["ACME"]["Total"] == 99.0


def test_reports_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    spend = paths["/reports/spend"]["get"]
    names = {p["name"] for p in spend["parameters"]}
    assert {"group_by", "from", "to", "department_id", "project_id", "supplier_id"} <= names
    assert {"status", "format"} <= names
    for path in ("approval-cycle-time", "supplier-performance", "ap-aging"):
        params = {p["name"] for p in paths[f"/reports/{path}"]["get"]["parameters"]}
        assert "format" in params, path
    assert set(paths["/reports/schedule"]) >= {"get", "put"}
