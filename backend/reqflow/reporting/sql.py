"""Dialect helpers for the reports: months, hour/day spans and percentiles, the same figures on
PostgreSQL and SQLite.

Percentiles are ``percentile_cont`` on PostgreSQL. SQLite has no ordered-set aggregates, so
there the same linear interpolation is computed in SQL with window functions: each value's
0-based rank ``rn`` and its group's size ``n``; the p-th percentile sits at ``pos = p·(n−1)``,
between the values ranked ``⌊pos⌋`` and ``⌊pos⌋+1``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Float, Integer, case, cast, func, select
from sqlalchemy.sql import Subquery

from reqflow.extensions import db


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def month_of(column: Any) -> Any:
    """``YYYY-MM`` of a UTC timestamp column."""
    if is_postgres():
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def date_of(column: Any) -> Any:
    """The UTC calendar date of a timestamp column."""
    if is_postgres():
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def hours_between(start: Any, end: Any) -> Any:
    if is_postgres():
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def days_between(start: Any, end: Any) -> Any:
    return hours_between(start, end) / 24.0


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_after(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


def percentiles(source: Subquery, keys: list[str], value: str, ps: dict[str, float]) -> Subquery:
    """One row per key with one column per named percentile of ``value`` (NULLs ignored)."""
    key_cols = [source.c[k] for k in keys]
    v = source.c[value]
    if is_postgres():
        cols = [func.percentile_cont(p).within_group(v).label(name) for name, p in ps.items()]
        return select(*key_cols, *cols).where(v.is_not(None)).group_by(*key_cols).subquery()
    ranked = (
        select(
            *key_cols,
            v.label("v"),
            (func.row_number().over(partition_by=key_cols, order_by=v) - 1).label("rn"),
            func.count().over(partition_by=key_cols).label("n"),
        )
        .where(v.is_not(None))
        .subquery()
    )
    return (
        select(
            *[ranked.c[k] for k in keys],
            *[_interpolated(ranked, p).label(n) for n, p in ps.items()],
        )
        .group_by(*[ranked.c[k] for k in keys])
        .subquery()
    )


def _interpolated(ranked: Subquery, p: float) -> Any:
    pos = cast(ranked.c.n - 1, Float) * p
    low = cast(pos, Integer)  # truncation = floor: pos ≥ 0
    lo = func.max(case((ranked.c.rn == low, ranked.c.v)))
    hi = func.max(case((ranked.c.rn == low + 1, ranked.c.v)))
    frac = func.max(pos - low)
    return lo + func.coalesce(frac * (hi - lo), 0.0)
