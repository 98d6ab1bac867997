"""Exact decimal money and quantities, rounded half-up, written as strings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from marshmallow import ValidationError, fields
from sqlalchemy import Numeric

from reqflow.core.limits import numeric_max

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
# The column types of money and quantities (SPEC §2); the limits follow from them.
MONEY_TYPE = Numeric(12, 2)
QUANTITY_TYPE = Numeric(12, 3)
MONEY_MAX: Decimal = numeric_max(MONEY_TYPE)  # type: ignore[assignment]


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def quantity(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(MILLI, rounding=ROUND_HALF_UP)


class DecimalString(fields.Field):
    """Accepts a string or a number, keeps it exact, dumps a fixed-point string."""

    def __init__(
        self,
        *,
        places: Decimal = CENT,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.places = places
        self.minimum = minimum
        self.maximum = MONEY_MAX if maximum is None else maximum

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return str(Decimal(value).quantize(self.places, rounding=ROUND_HALF_UP))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("Must be a decimal number.")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValidationError("Must be a decimal number.") from exc
        if not number.is_finite() or abs(number) > self.maximum:
            raise ValidationError(f"Out of range: at most {self.maximum}.")
        number = number.quantize(self.places, rounding=ROUND_HALF_UP)
        if abs(number) > self.maximum:
            raise ValidationError(f"Out of range: at most {self.maximum}.")
        if self.minimum is not None and number < self.minimum:
            raise ValidationError(f"Must be at least {self.minimum}.")
        return number


def Money(**kwargs: Any) -> DecimalString:  # noqa: N802 - reads as a field type
    return DecimalString(places=CENT, maximum=numeric_max(MONEY_TYPE), **kwargs)


def Quantity(**kwargs: Any) -> DecimalString:  # noqa: N802
    return DecimalString(places=MILLI, maximum=numeric_max(QUANTITY_TYPE), **kwargs)
