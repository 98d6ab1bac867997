"""Columns of an import file: the reference the SPA shows and the template is built from,
and the coercion of a raw cell (CSV text or an XLSX value) into what a schema loads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()
    kind: str = "text"  # text | integer | decimal | boolean
    field: str | None = None  # the schema field, when it differs from the column name

    @property
    def target(self) -> str:
        return self.field or self.name

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "required": self.required,
            "type": self.kind,
            "choices": list(self.choices),
            "help": self.help,
            "example": self.example,
        }


def _text(value: Any) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value).strip()


def _integer(value: Any) -> Any:
    try:
        number = Decimal(_text(value))
    except InvalidOperation:
        return _text(value)  # the schema reports it as not an integer
    return int(number) if number == number.to_integral_value() else _text(value)


def _boolean(value: Any) -> Any:
    text = _text(value).lower()
    if text in {"1", "true", "yes", "y"}:
        return True
    if text in {"0", "false", "no", "n"}:
        return False
    return text


def coerce(column: Column, value: Any) -> Any:
    """A cell as the schema wants it; None for a blank cell (the field is then left out)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.kind == "integer":
        return _integer(value)
    if column.kind == "boolean":
        return value if isinstance(value, bool) else _boolean(value)
    if column.kind == "decimal" and isinstance(value, (int, Decimal)):
        return str(value)
    return _text(value)
