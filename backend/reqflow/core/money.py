"""Exact decimal money and quantities, rounded half-up, written as strings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from marshmallow import ValidationError, fields

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
MONEY_MAX = Decimal("9999999999.99")


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def quantity(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(MILLI, rounding=ROUND_HALF_UP)


class DecimalString(fields.Field):
    """Accepts a string or a number, keeps it exact, dumps a fixed-point string."""

    def __init__(self, *, places: Decimal = CENT, minimum: Decimal | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.places = places
        self.minimum = minimum

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
        if not number.is_finite() or abs(number) > MONEY_MAX:
            raise ValidationError("Out of range.")
        number = number.quantize(self.places, rounding=ROUND_HALF_UP)
        if self.minimum is not None and number < self.minimum:
            raise ValidationError(f"Must be at least {self.minimum}.")
        return number


def Money(**kwargs: Any) -> DecimalString:  # noqa: N802 - reads as a field type
    return DecimalString(places=CENT, **kwargs)


def Quantity(**kwargs: Any) -> DecimalString:  # noqa: N802
    return DecimalString(places=MILLI, **kwargs)
