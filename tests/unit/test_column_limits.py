"""Limits read from column types; the Redis namespace read from the database name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError
from sqlalchemy import BigInteger, Integer, Numeric

from reqflow.config import load_config, redis_namespace
from reqflow.core.limits import numeric_max, problem
from reqflow.core.money import Money, Quantity
from reqflow.purchasing.models import PurchaseOrderLine


def test_numeric_limits_follow_precision_and_scale():
    assert numeric_max(Numeric(12, 2)) == Decimal("9999999999.99")
    assert numeric_max(Numeric(12, 3)) == Decimal("999999999.999")
    assert numeric_max(Numeric(5, 4)) == Decimal("9.9999")


def test_values_are_checked_against_the_model_columns_themselves():
    line_total = PurchaseOrderLine.__table__.c.line_total.type
    quantity = PurchaseOrderLine.__table__.c.quantity.type
    assert problem(line_total, Decimal("9999999999.99")) is None
    assert problem(line_total, Decimal("10000000000.00")) is not None
    assert problem(line_total, Decimal("-10000000000.00")) is not None
    assert problem(quantity, Decimal("1000000000")) is not None
    assert problem(line_total, Decimal("NaN")) is not None
    assert problem(Integer(), 2**31 - 1) is None and problem(Integer(), 2**31) is not None
    assert problem(BigInteger(), 2**63 - 1) is None and problem(BigInteger(), 2**63) is not None


class Line(Schema):
    price = Money()
    qty = Quantity()


@pytest.mark.parametrize(
    "body",
    [{"price": "10000000000"}, {"price": "9999999999.995"}, {"qty": "1000000000"}],
)
def test_fields_refuse_what_their_column_cannot_hold(body):
    with pytest.raises(ValidationError):
        Line().load(body)


def test_fields_take_the_largest_value_that_fits():
    loaded = Line().load({"price": "9999999999.99", "qty": "999999999.999"})
    assert loaded == {"price": Decimal("9999999999.99"), "qty": Decimal("999999999.999")}


def test_redis_namespace_defaults_to_the_database_name(tmp_path):
    assert redis_namespace("postgresql+psycopg2://u:p@db:5432/plant_north") == "plant_north"
    assert redis_namespace(f"sqlite:///{tmp_path}/reqflow.db") == "reqflow"
    config = load_config({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": "postgresql://h/shop_b"})
    assert config["REDIS_NAMESPACE"] == "shop_b"
    explicit = load_config(
        {"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": "postgresql://h/a", "REDIS_NAMESPACE": "x"}
    )
    assert explicit["REDIS_NAMESPACE"] == "x"
