"""Page, sort and filter arguments for list endpoints, and the paged result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute

from reqflow.errors import ValidationFailed
from reqflow.extensions import db

MAX_PER_PAGE = 100
# Counting every match of a broad search over 100 000 rows costs more than the page itself;
# totals above this are reported as this figure with ``total_capped: true``.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.total else 0

    def meta(self) -> dict[str, int]:
        return {
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
            **({"total_capped": True} if self.capped else {}),
        }

    def headers(self) -> dict[str, str]:
        headers = {"X-Total-Count": str(self.total), "X-Page-Count": str(self.pages)}
        if self.capped:
            headers["X-Total-Capped"] = "true"
        return headers


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed("Invalid query", details={name: ["Must be an integer."]}) from None
    if not low <= value <= high:
        raise ValidationFailed("Invalid query", details={name: [f"Must be {low}..{high}."]})
    return value


def page_args() -> tuple[int, int]:
    return _int_arg("page", 1, 1, 10**6), _int_arg("per_page", 20, 1, MAX_PER_PAGE)


def apply_sort(
    query: Select[Any], sortable: dict[str, InstrumentedAttribute[Any]], default: str
) -> Select[Any]:
    """``sort=-created_at,name``: only the named columns, ties broken by the first key."""
    raw = request.args.get("sort") or default
    clauses = []
    for part in raw.split(","):
        key = part.strip()
        desc = key.startswith("-")
        column = sortable.get(key.lstrip("-+"))
        if column is None:
            raise ValidationFailed(
                "Invalid query", details={"sort": [f"Sort by one of {sorted(sortable)}."]}
            )
        clauses.append(column.desc() if desc else column.asc())
    return query.order_by(*clauses)


def paginate(query: Select[Any], *, cap: int = COUNT_CAP) -> Page:
    page, per_page = page_args()
    counted = query.order_by(None).limit(cap + 1).subquery()
    total = int(db.session.scalar(select(func.count()).select_from(counted)) or 0)
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(
        items=items, page=page, per_page=per_page, total=min(total, cap), capped=total > cap
    )
