"""Exact decimal money: strings in and out, half-up rounding, no floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError

from reqflow.core.money import Money, Quantity, money, quantity


class Line(Schema):
    price = Money(minimum=Decimal("0"))
    qty = Quantity()


def test_half_up_rounding():
    assert money("2.675") == Decimal("2.68")
    assert money("2.665") == Decimal("2.67")
    assert quantity("1.0005") == Decimal("1.001")


def test_accepts_strings_and_numbers_and_dumps_strings():
    loaded = Line().load({"price": "10.005", "qty": 3})
    assert loaded == {"price": Decimal("10.01"), "qty": Decimal("3.000")}
    assert Line().dump(loaded) == {"price": "10.01", "qty": "3.000"}
    assert Line().load({"price": 0.1})["price"] == Decimal("0.10")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", True, None, [], "1e30", "-1"])
def test_rejects_non_numbers_and_out_of_range(bad):
    with pytest.raises(ValidationError):
        Line().load({"price": bad})


def test_sum_of_cents_is_exact():
    total = sum((money("0.10") for _ in range(10)), Decimal("0"))
    assert total == Decimal("1.00")
