"""The tax match on SQLite (the embedded default): the PO's tax on the invoiced subtotal,
half-up to the cent, stored as NUMERIC(12, 2) and compared as Decimal, with the invoice-level
TAX_MISMATCH reason kept in JSON."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from reqflow import create_app
from reqflow.accounting import matching
from reqflow.accounting.models import Invoice
from reqflow.extensions import db
from tests.conftest import make_config
from tests.integration.report_data import build


@pytest.fixture(scope="module")
def lite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    home = tmp_path_factory.mktemp("tax-sqlite")
    application = create_app(make_config(home, f"sqlite:///{home / 'reqflow.db'}"))
    with application.app_context():
        upgrade(directory=application.config["MIGRATIONS_DIR"])
    build(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("rate", "subtotal", "charged", "expected", "codes"),
    [
        ("0.0725", "100.05", "7.25", "7.25", []),  # 7.253625 → 7.25
        ("0.0725", "100.05", "7.26", "7.25", ["TAX_MISMATCH"]),
        ("0.0500", "0.10", "0.01", "0.01", []),  # 0.005 → 0.01 half-up, not banker's 0.00
        ("0.0500", "0.10", "0.00", "0.01", ["TAX_MISMATCH"]),
        ("0.0000", "999999.99", "0.00", "0.00", []),
    ],
)
def test_tax_is_matched_to_the_cent_on_sqlite(lite, rate, subtotal, charged, expected, codes):
    with lite.app_context():
        assert db.engine.dialect.name == "sqlite"
        invoice = db.session.scalars(select(Invoice).order_by(Invoice.id)).first()
        assert invoice is not None
        invoice.purchase_order.tax_rate = Decimal(rate)
        invoice.subtotal, invoice.tax_amount = Decimal(subtotal), Decimal(charged)
        matching.match(invoice)
        db.session.commit()
        invoice_id = invoice.id
        db.session.expire_all()
        stored = db.session.get(Invoice, invoice_id)
        assert stored is not None
        assert stored.expected_tax_amount == Decimal(expected)
        assert isinstance(stored.expected_tax_amount, Decimal)
        assert [r["code"] for r in stored.match_reasons] == codes
        if codes:
            assert (stored.match_reasons[0]["expected"], stored.match_reasons[0]["actual"]) == (
                expected,
                charged,
            )
