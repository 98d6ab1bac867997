"""Every value written must fit its column: checked once, before each flush, from the types.

The limits are read from the model's own columns (``NUMERIC(12,2)`` holds at most
9 999 999 999.99; ``INTEGER`` at most 2 147 483 647), so inputs and anything computed from
them — line totals, subtotals, tax, document totals — answer 422 naming the field instead of
PostgreSQL's "numeric field overflow" (a 500) or SQLite storing whatever it was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, Integer, Numeric, SmallInteger, event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.types import TypeEngine
from werkzeug.routing import IntegerConverter, Map

from reqflow.errors import ValidationFailed

INT_LIMITS = ((SmallInteger, 2**15 - 1), (BigInteger, 2**63 - 1), (Integer, 2**31 - 1))


def numeric_max(type_: Numeric[Any]) -> Decimal | None:
    """The largest value a ``NUMERIC(p, s)`` holds: 10^(p−s) − 10^−s."""
    if type_.precision is None:
        return None
    scale = type_.scale or 0
    return Decimal(10) ** (type_.precision - scale) - Decimal(10) ** -scale


def integer_max(type_: TypeEngine[Any]) -> int | None:
    for cls, limit in INT_LIMITS:
        if isinstance(type_, cls):
            return limit
    return None


def problem(type_: TypeEngine[Any], value: Any) -> str | None:
    """Why ``value`` does not fit a column of ``type_`` (None when it fits)."""
    if value is None or isinstance(value, ClauseElement | bool):
        return None
    if isinstance(type_, Numeric) and isinstance(value, Decimal | int | float):
        limit = numeric_max(type_)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return "Must be a decimal number."
        if not number.is_finite():
            return "Must be a finite number."
        if limit is not None and abs(number) > limit:
            return f"Out of range: at most {limit} in absolute value."
    elif isinstance(value, int) and abs(value) > (integer_max(type_) or abs(value)):
        return f"Out of range: at most {integer_max(type_)}."
    return None


def row_problems(row: Any) -> dict[str, list[str]]:
    """Field → messages for the loaded column values of one mapped object."""
    state = inspect(row)
    errors: dict[str, list[str]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key not in state.dict:
            continue
        message = problem(attr.columns[0].type, state.dict[attr.key])
        if message:
            errors.setdefault(attr.key, []).append(message)
    return errors


def _written(session: Session) -> Iterable[Any]:
    yield from session.new
    yield from session.dirty


def _before_flush(session: Session, _context: Any, _objects: Any) -> None:
    errors: dict[str, list[str]] = {}
    for row in _written(session):
        for field, messages in row_problems(row).items():
            bucket = errors.setdefault(field, [])
            bucket.extend(m for m in messages if m not in bucket)
    if errors:
        raise ValidationFailed("A value does not fit its field", details=errors)


def init_limits() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in routes: ids are INTEGER columns, so a larger number matches no row and
    the URL answers 404 instead of overflowing the database driver."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
