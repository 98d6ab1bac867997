"""Keeps ``dashboard_counters`` (see ``DashboardCounter``) in step with the requisitions,
approval steps and purchase orders, in the transaction that changes them.

Every flush's changes to the counted columns become deltas, from the ORM history (the old
value's figures out, the new value's in): inserts, status changes, a total or an approval
date moving, deletes. The deltas of a transaction are summed and written when it commits, by
one ``INSERT … ON CONFLICT DO UPDATE SET value = value + delta`` over its keys in sorted
order: concurrent transactions never lose a count, and since each takes the counter rows'
locks last, in one order, and only for the moment of its commit, they cannot deadlock on
them. (Inside a savepoint the deltas are written at once, so they go with it.)

A bulk UPDATE or DELETE through the session (``session.execute(update(ApprovalStep)…)``: an
approval decision, cancelling a chain, lines released to the sourcing queue) has no ORM
history: ``do_orm_execute`` reads the counted columns of the rows it matches, locking them,
before it runs and again after.

The sourcing queue spans two tables (a line counts while its requisition is Approved and it
is on no PO line): when a flush or a bulk update touches a requisition's status or its lines'
PO lines, that requisition's share of the queue is read (its row locked) before and after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, event, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from reqflow.approvals.models import ApprovalStep
from reqflow.extensions import db
from reqflow.purchasing.models import PurchaseOrder
from reqflow.reporting.models import DashboardCounter
from reqflow.requisitions.models import Requisition, RequisitionItem, Status

REQUISITIONS = "requisitions"
SPEND = "requisitions.approved_spend"
STEPS = "approval_steps"
ORDERS = "purchase_orders"
QUEUE = "sourcing_queue"
APPROVED = Status.APPROVED.value
ONE = Decimal(1)

Delta = dict[tuple[str, str], Decimal]
Figures = Iterator[tuple[str, str, Decimal]]

PENDING = "reqflow_counters"  # session.info: the transaction's deltas not written yet
WRITTEN = "reqflow_counters_written"  # session.info: the commit wrote them (later flushes write)
OLD = "reqflow_counters_old"  # session.info: values the history did not hold, read before
QUEUE_BEFORE = "reqflow_counters_queue"  # session.info: requisition id → queue share before


def requester_key(user_id: int) -> str:
    return f"{REQUISITIONS}.requester.{user_id}"


def month(at: datetime) -> str:
    """'YYYY-MM' of a timestamp, in UTC (as the backfill and the reads)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m")


def _requisition(v: Mapping[str, Any]) -> Figures:
    status = str(v["status"])
    yield REQUISITIONS, status, ONE
    yield requester_key(v["requester_id"]), status, ONE
    if status == APPROVED and v["approved_at"] is not None:
        yield SPEND, month(v["approved_at"]), Decimal(v["total_amount"] or 0)


def _step(v: Mapping[str, Any]) -> Figures:
    yield STEPS, str(v["status"]), ONE


def _order(v: Mapping[str, Any]) -> Figures:
    yield ORDERS, str(v["status"]), ONE


@dataclass(frozen=True)
class Tracked:
    columns: tuple[str, ...]
    figures: Callable[[Mapping[str, Any]], Figures]


TRACKED: dict[type, Tracked] = {
    Requisition: Tracked(("status", "requester_id", "total_amount", "approved_at"), _requisition),
    ApprovalStep: Tracked(("status",), _step),
    PurchaseOrder: Tracked(("status",), _order),
}
BY_TABLE = {cls.__table__.name: (cls, spec) for cls, spec in TRACKED.items()}  # type: ignore[attr-defined]
QUEUE_COLUMNS = {
    Requisition.__table__.name: {"status"},
    RequisitionItem.__table__.name: {"po_line_id", "requisition_id"},
}


def _add(delta: Delta, figures: Figures, sign: int) -> None:
    for key, bucket, value in figures:
        delta[(key, bucket)] += value * sign


# -- the sourcing queue ----------------------------------------------------------------------


def _queue_shares(connection: Connection, ids: Iterable[int], lock: bool) -> dict[int, int]:
    """Each requisition's lines in the sourcing queue (0 unless it is Approved); ``lock``
    takes the requisitions' rows, so that no other transaction moves their share meanwhile."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    item = RequisitionItem
    unsourced = (
        select(func.count(item.id))
        .where(item.requisition_id == Requisition.id, item.po_line_id.is_(None))
        .scalar_subquery()
    )
    query = select(Requisition.id, Requisition.status, unsourced).where(Requisition.id.in_(wanted))
    if lock:
        query = query.order_by(Requisition.id).with_for_update(of=Requisition.__table__)
    rows = connection.execute(query).all()
    return {rid: (int(n) if str(status) == APPROVED else 0) for rid, status, n in rows}


def _involves_approved(obj: Requisition) -> bool:
    history: Any = inspect(obj).attrs.status.history
    values = (*history.added, *history.deleted, *history.unchanged)
    return any(str(v) == APPROVED for v in values)


def _requisition_touched(session: Session) -> Iterator[int]:
    for obj in session.dirty:
        if (
            isinstance(obj, Requisition)
            and obj.id is not None
            and inspect(obj).attrs.status.history.has_changes()
            and _involves_approved(obj)
        ):
            yield obj.id


def _item_parents(session: Session, item: RequisitionItem) -> set[int]:
    """The requisitions (before and after) of a line added, removed or moved on or off a PO
    line in this flush; none for an unchanged line."""
    attrs: Any = inspect(item).attrs
    if item not in session.new and item not in session.deleted:
        moved = attrs.po_line_id.history.has_changes()
        if not (moved or attrs.requisition_id.history.has_changes()):
            return set()
    parents = {p.id for p in attrs.requisition.history.sum() if isinstance(p, Requisition)}
    parents.update(attrs.requisition_id.history.sum())
    parents.discard(None)  # type: ignore[arg-type]  # a new requisition: counted once flushed
    return parents


def _queue_touched(session: Session) -> set[int]:
    """Persistent requisitions whose share of the queue this flush may change: those whose
    status moves to or from Approved, and those Approved (or not in the session) one of whose
    lines is added, removed or put on or off a PO line."""
    ids = set(_requisition_touched(session))
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, RequisitionItem):
            continue
        for rid in _item_parents(session, obj):
            known = session.identity_map.get(session.identity_key(Requisition, rid))
            if known is None or _involves_approved(known):
                ids.add(rid)
    return ids


# -- flushes ---------------------------------------------------------------------------------


def _unknown_old(obj: Any, columns: tuple[str, ...]) -> bool:
    """A persistent object's column set while unloaded: its history has no old value."""
    attrs: Any = inspect(obj).attrs
    for name in columns:
        history = attrs[name].history
        if history.added and not history.deleted and not history.unchanged:
            return True
    return False


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    old: dict[tuple[type, int], dict[str, Any]] = {}
    for obj in session.dirty:
        spec = TRACKED.get(type(obj))
        if spec is None or inspect(obj).key is None or not _unknown_old(obj, spec.columns):
            continue
        table = type(obj).__table__  # type: ignore[attr-defined]
        row = session.connection().execute(
            select(*(table.c[c] for c in spec.columns)).where(table.c.id == obj.id)
        )
        found = row.mappings().first()
        if found is not None:
            old[(type(obj), obj.id)] = dict(found)
    for obj in session.deleted:  # their figures are read after the flush: load them now
        spec = TRACKED.get(type(obj))
        if spec is not None:
            for name in spec.columns:
                getattr(obj, name)
    if old:
        session.info[OLD] = old
    touched = _queue_touched(session)
    if touched:
        session.info[QUEUE_BEFORE] = _queue_shares(session.connection(), touched, lock=True)


def _values(obj: Any, columns: tuple[str, ...], new: bool) -> dict[str, Any]:
    attrs: Any = inspect(obj).attrs
    out = {}
    for name in columns:
        history = attrs[name].history
        if not history.has_changes():
            out[name] = getattr(obj, name)
        elif new:
            out[name] = history.added[0] if history.added else None
        else:
            out[name] = history.deleted[0] if history.deleted else None
    return out


def _flushed(session: Session) -> Delta:
    delta: Delta = defaultdict(Decimal)
    old = session.info.pop(OLD, {})
    for obj in session.new:
        spec = TRACKED.get(type(obj))
        if spec is not None:
            _add(delta, spec.figures({c: getattr(obj, c) for c in spec.columns}), 1)
    for obj in session.deleted:
        spec = TRACKED.get(type(obj))
        if spec is not None:
            _add(delta, spec.figures({c: getattr(obj, c) for c in spec.columns}), -1)
    for obj in session.dirty:
        spec = TRACKED.get(type(obj))
        if spec is None or obj in session.deleted:
            continue
        attrs: Any = inspect(obj).attrs
        if not any(attrs[c].history.has_changes() for c in spec.columns):
            continue
        before = old.get((type(obj), obj.id)) or _values(obj, spec.columns, new=False)
        _add(delta, spec.figures(before), -1)
        _add(delta, spec.figures(_values(obj, spec.columns, new=True)), 1)
    before_shares = session.info.pop(QUEUE_BEFORE, {})
    born = [
        obj.id
        for obj in session.new
        if isinstance(obj, Requisition) and str(obj.status) == APPROVED and obj.id is not None
    ]
    if before_shares or born:
        after = _queue_shares(session.connection(), [*before_shares, *born], lock=False)
        delta[(QUEUE, "")] += sum(after.values()) - sum(before_shares.values())
    return delta


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    delta = _flushed(session)
    if any(delta.values()):
        _collect(session, delta)


# -- bulk statements -------------------------------------------------------------------------


def _assigned(statement: Any) -> set[str] | None:
    """The column names an UPDATE sets (None: unknown, assume any)."""
    values = getattr(statement, "_values", None) or dict(
        getattr(statement, "_ordered_values", None) or ()
    )
    if not values:
        return None
    return {str(getattr(k, "key", None) or getattr(k, "name", None) or k) for k in values}


@dataclass(frozen=True)
class Bulk:
    """What a bulk UPDATE or DELETE through the session may change."""

    table: Any
    tracked: Tracked | None  # the table's counted columns, when it changes them
    queued: bool  # it may move requisitions' shares of the sourcing queue

    @classmethod
    def of(cls, state: ORMExecuteState) -> Bulk | None:
        if not (state.is_update or state.is_delete):
            return None
        statement: Any = state.statement
        table = statement.table
        name = getattr(table, "name", None)
        tracked = BY_TABLE.get(name)  # type: ignore[arg-type]
        queue_columns = QUEUE_COLUMNS.get(name)  # type: ignore[arg-type]
        if tracked is None and queue_columns is None:
            return None
        assigned = None if state.is_delete else _assigned(statement)

        def touches(columns: Iterable[str]) -> bool:
            return assigned is None or bool(assigned & set(columns))

        spec = tracked[1] if tracked is not None and touches(tracked[1].columns) else None
        queued = queue_columns is not None and touches(queue_columns)
        return cls(table, spec, queued) if spec is not None or queued else None

    @property
    def lines(self) -> bool:
        return bool(self.table.name == RequisitionItem.__table__.name)

    def columns(self) -> list[Any]:
        names = ["id", *(self.tracked.columns if self.tracked else ())]
        if self.queued and self.lines:
            names.append("requisition_id")
        return [self.table.c[n] for n in names]


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> Any:
    bulk = Bulk.of(state)
    if bulk is None:
        return None
    connection = state.session.connection()
    where = getattr(state.statement, "whereclause", None)
    matched = select(*bulk.columns()).order_by(bulk.table.c.id).with_for_update()
    if where is not None:
        matched = matched.where(where)
    before = [dict(r) for r in connection.execute(matched).mappings()]
    if not before:
        return state.invoke_statement()
    ids = [r["id"] for r in before]
    shares: dict[int, int] = {}
    if bulk.queued:
        owners = [r["requisition_id"] for r in before] if bulk.lines else ids
        shares = _queue_shares(connection, owners, lock=True)
    result = state.invoke_statement()
    delta: Delta = defaultdict(Decimal)
    if bulk.tracked is not None:
        for row in before:
            _add(delta, bulk.tracked.figures(row), -1)
        again = select(*bulk.columns()).where(bulk.table.c.id.in_(ids))
        for now in connection.execute(again).mappings() if state.is_update else ():
            _add(delta, bulk.tracked.figures(dict(now)), 1)
    if shares:
        moved = _queue_shares(connection, shares, lock=False)
        delta[(QUEUE, "")] += sum(moved.values()) - sum(shares.values())
    if any(delta.values()):
        _collect(state.session, delta)
    return result


# -- writing ---------------------------------------------------------------------------------


def _collect(session: Session, delta: Delta) -> None:
    """Write now (in a savepoint, or once the commit wrote the rest), else at commit."""
    if session.in_nested_transaction() or session.info.get(WRITTEN):
        write(session.connection(), delta)
        return
    pending: Delta = session.info.setdefault(PENDING, defaultdict(Decimal))
    for key, value in delta.items():
        pending[key] += value


def write(connection: Connection, delta: Mapping[tuple[str, str], Decimal]) -> None:
    """Add ``delta`` to the counters: one statement, keys in sorted order (lock order)."""
    rows = [
        {"key": key, "bucket": bucket, "value": value}
        for (key, bucket), value in sorted(delta.items())
        if value
    ]
    if not rows:
        return
    table = DashboardCounter.__table__
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(table).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key, table.c.bucket],
        set_={"value": table.c.value + statement.excluded.value},
    )
    connection.execute(statement)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's deltas were written as they came
    session.flush()  # the commit's own flush comes after this hook: count it now
    pending = session.info.pop(PENDING, None)
    if pending:
        write(session.connection(), pending)
    session.info[WRITTEN] = True


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for name in (PENDING, WRITTEN, OLD, QUEUE_BEFORE):
            session.info.pop(name, None)


# -- reading and rebuilding ------------------------------------------------------------------


def read(keys: Iterable[str]) -> dict[str, dict[str, Decimal]]:
    """The buckets of each key (missing keys: empty), one statement."""
    wanted = sorted(set(keys))
    out: dict[str, dict[str, Decimal]] = {k: {} for k in wanted}
    if not wanted:
        return out
    table = DashboardCounter.__table__
    rows = db.session.execute(
        select(table.c.key, table.c.bucket, table.c.value).where(table.c.key.in_(wanted))
    )
    for key, bucket, value in rows:
        out[key][bucket] = Decimal(value)
    return out


def aggregates_sql(dialect: str) -> str:
    """Every counter computed from the tables (the migration's backfill, and the check)."""
    if dialect == "postgresql":
        approved_month = "to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM')"
    else:
        approved_month = "strftime('%Y-%m', approved_at)"
    return f"""
SELECT 'requisitions' AS key, status AS bucket, COUNT(*) AS value
FROM requisitions GROUP BY status
UNION ALL
SELECT 'requisitions.requester.' || requester_id, status, COUNT(*)
FROM requisitions GROUP BY requester_id, status
UNION ALL
SELECT 'requisitions.approved_spend', {approved_month}, SUM(total_amount)
FROM requisitions WHERE status = 'Approved' AND approved_at IS NOT NULL
GROUP BY {approved_month}
UNION ALL
SELECT 'approval_steps', status, COUNT(*) FROM approval_steps GROUP BY status
UNION ALL
SELECT 'purchase_orders', status, COUNT(*) FROM purchase_orders GROUP BY status
UNION ALL
SELECT 'sourcing_queue', '', COUNT(*)
FROM requisition_items i JOIN requisitions r ON r.id = i.requisition_id
WHERE r.status = 'Approved' AND i.po_line_id IS NULL
"""


def aggregates(connection: Connection) -> dict[tuple[str, str], Decimal]:
    rows = connection.execute(text(aggregates_sql(connection.dialect.name)))
    return {(k, b): Decimal(v) for k, b, v in rows if v}


def rebuild(connection: Connection) -> None:
    """Recompute every counter (after a bulk load that bypassed the ORM, e.g. the bench seed)."""
    connection.execute(delete(DashboardCounter.__table__))
    connection.execute(
        text(
            "INSERT INTO dashboard_counters (key, bucket, value) "
            + aggregates_sql(connection.dialect.name)
        )
    )
