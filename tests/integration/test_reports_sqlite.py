"""The same report figures on SQLite (the embedded default): months by strftime, hours by
julianday, percentiles by window functions instead of percentile_cont."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_migrate import upgrade

from reqflow import create_app
from reqflow.extensions import db
from reqflow.reporting.cycle_time import cycle_time
from reqflow.reporting.spend import spend
from reqflow.reporting.supplier_performance import supplier_performance
from tests.conftest import make_config
from tests.integration.report_data import build


@pytest.fixture(scope="module")
def lite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    home = tmp_path_factory.mktemp("reports-sqlite")
    application = create_app(make_config(home, f"sqlite:///{home / 'reqflow.db'}"))
    with application.app_context():
        upgrade(directory=application.config["MIGRATIONS_DIR"])
    build(application)
    yield application
    with application.app_context():
        db.engine.dispose()


def test_spend_on_sqlite(lite):
    with lite.app_context():
        assert db.engine.dialect.name == "sqlite"
        report = spend(group_by="month", filters={})
        by_month = {g["label"]: str(g["committed"]) for g in report["groups"]}
        assert by_month == {"2026-01": "200.00", "2026-02": "520.00", "2026-03": "50.00"}
        acme = next(
            g for g in spend(group_by="supplier", filters={})["groups"] if g["po_count"] == 2
        )
        # as on PostgreSQL: 420.00 committed, 365.00 received, 370.00 invoiced, 271.00 paid
        figures = [str(acme[k]) for k in ("committed", "received", "invoiced", "paid")]
        assert figures == ["420.00", "365.00", "370.00", "271.00"]


def test_cycle_time_percentiles_on_sqlite(lite):
    with lite.app_context():
        steps = {s["label"]: s for s in cycle_time(filters={})["steps"]}
        # 2, 4, 10 h → median 4, p90 8.8; 1, 3 h → median 2, p90 2.8
        line, head = steps["Line manager"], steps["Procurement manager"]
        assert (line["median_hours"], line["p90_hours"]) == (4.0, 8.8)
        assert (head["median_hours"], head["p90_hours"], head["overdue"]) == (2.0, 2.8, 1)


def test_supplier_performance_on_sqlite(lite):
    with lite.app_context():
        rows = {r["code"]: r for r in supplier_performance(filters={})["suppliers"]}
        acme = rows["ACME"]
        assert (str(acme["on_time_rate"]), acme["lead_time_median_days"]) == ("0.6667", 6.0)
        assert (str(acme["price_variance_po"]), str(rows["BOLT"]["price_variance_last"])) == (
            "0.0137", "0.5000"
        )  # fmt: skip
