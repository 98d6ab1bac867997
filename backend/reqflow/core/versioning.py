"""Optimistic locking that no endpoint can bypass, enforced once in the unit of work.

A versioned aggregate (a ``VersionedMixin`` model) owns its child rows: the rows of every
``delete-orphan`` collection it holds (requisition items, PO lines, invoice lines, receipt
lines, RFQ lines…), plus rows that name it without a foreign key (approval steps name their
document), registered with ``register_child``. Before each flush, any new, changed or deleted
child row marks its aggregate root changed, so the root's own ``UPDATE … SET version =
version + 1 WHERE version = <seen>`` runs in the same transaction: a writer who read the
aggregate at a version that is no longer current fails (``StaleDataError`` → 409), and a
client holding the old version is refused (``expect_version`` → 409 with the current one).

A root that this transaction never loaded is bumped with a plain ``version = version + 1``:
nobody here relied on its version, and the row lock orders concurrent writers. Child changes
move a root at most once per transaction, however many flushes the use case takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Mapper, RelationshipProperty, Session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.interfaces import ONETOMANY

from reqflow.core.models import Base, VersionedMixin, utcnow
from reqflow.errors import StaleVersion

# child class → functions giving (root class, root id or root object) for a child row
Resolver = Callable[[Any], tuple[type, Any] | None]
_registered: dict[type, list[Resolver]] = {}
_owned: dict[type, list[Resolver]] | None = None
SEEN_KEY = "reqflow_versions_seen"
MOVED_KEY = "reqflow_versions_moved"


def register_child(child: type, resolver: Resolver) -> None:
    """Rows of ``child`` belong to the aggregate ``resolver(row)`` names (or to none)."""
    _registered.setdefault(child, []).append(resolver)


def expect_version(obj: Any, sent: int | None, what: str) -> None:
    """409 STALE_VERSION, with the current version, when the client's version is not it."""
    if sent is not None and sent != obj.version:
        raise StaleVersion(
            f"The {what} was changed meanwhile; reload and retry",
            details={"current_version": obj.version},
        )


def _relationship_resolver(rel: RelationshipProperty[Any]) -> Resolver:
    """The parent of a child row through the parent's one-to-many collection."""
    parent = rel.parent.class_
    backref = rel.back_populates or (rel.backref if isinstance(rel.backref, str) else None)
    keys = [rel.mapper.get_property_by_column(col).key for col in rel.remote_side]

    def resolve(row: Any) -> tuple[type, Any] | None:
        if backref:
            history = inspect(row).attrs[backref].history
            for candidate in (*history.added, *history.unchanged, *history.deleted):
                if candidate is not None:
                    return parent, candidate
        values = [getattr(row, key, None) for key in keys]
        return (parent, values[0]) if len(values) == 1 and values[0] is not None else None

    return resolve


def _owned_children() -> dict[type, list[Resolver]]:
    global _owned
    if _owned is None:
        found: dict[type, list[Resolver]] = {}
        for mapper in Base.registry.mappers:
            if not issubclass(mapper.class_, VersionedMixin):
                continue
            for rel in mapper.relationships:
                if rel.direction is ONETOMANY and rel.cascade.delete_orphan:
                    found.setdefault(rel.mapper.class_, []).append(_relationship_resolver(rel))
        _owned = found
    return _owned


def _resolvers(row: Any) -> list[Resolver]:
    return _owned_children().get(type(row), []) + _registered.get(type(row), [])


def _changed_children(session: Session) -> Iterable[Any]:
    yield from session.new
    yield from session.deleted
    for row in session.dirty:
        if session.is_modified(row, include_collections=False):
            yield row


def _roots(session: Session) -> dict[tuple[type, Any], Any]:
    """(root class, id) → the loaded root object, or None when not loaded here."""
    roots: dict[tuple[type, Any], Any] = {}
    for row in list(_changed_children(session)):
        for resolve in _resolvers(row):
            found = resolve(row)
            if found is None:
                continue
            cls, root = found
            if isinstance(root, cls):
                state = instance_state(root)
                if state.key is None or root in session.new or root in session.deleted:
                    continue  # a new root starts at 1; a deleted one needs no version
                roots[(cls, state.key[1][0])] = root
            else:
                mapper: Mapper[Any] = inspect(cls)
                loaded = session.identity_map.get(mapper.identity_key_from_primary_key((root,)))
                roots.setdefault((cls, root), loaded)
    return roots


def _remember_seen(session: Session) -> None:
    """Which versioned rows this flush updates, at which version (for the 409's body)."""
    seen: dict[tuple[type, Any], int | None] = {}
    session.info[SEEN_KEY] = seen
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, VersionedMixin):
            state = instance_state(row)
            if state.key is not None:
                version = state.committed_state.get("version", state.dict.get("version"))
                seen[(type(row), state.key[1][0])] = version


def _moved(session: Session) -> set[tuple[type, Any]]:
    """Versioned rows already inserted or moved to a new version in this transaction: one
    transaction moves an aggregate one version on, however many flushes it takes."""
    moved: set[tuple[type, Any]] = session.info.setdefault(MOVED_KEY, set())
    return moved


def _before_flush(session: Session, _context: Any, _objects: Any) -> None:
    now = utcnow()
    moved = _moved(session)
    for (cls, root_id), root in sorted(
        _roots(session).items(), key=lambda kv: (kv[0][0].__name__, kv[0][1])
    ):
        if (cls, root_id) in moved:
            continue
        moved.add((cls, root_id))
        if root is not None:
            if root not in session.deleted:
                root.updated_at = now  # its UPDATE carries version = version + 1 WHERE seen
        else:
            table: Any = inspect(cls).local_table
            session.execute(
                update(table)
                .where(table.c.id == root_id)
                .values(version=table.c.version + 1, updated_at=now)
            )
    _remember_seen(session)


def _after_flush(session: Session, _context: Any) -> None:
    moved = _moved(session)
    for row in (*session.new, *session.dirty):
        if isinstance(row, VersionedMixin) and (row in session.new or session.is_modified(row)):
            moved.add((type(row), instance_state(row).mapper.primary_key_from_instance(row)[0]))


def _transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None or transaction.nested:
        session.info.pop(MOVED_KEY, None)


def stale_details(session: Session) -> dict[str, Any]:
    """After a failed flush (rolled back): the row that moved on, and its current version."""
    for (cls, row_id), version in session.info.pop(SEEN_KEY, {}).items():
        table: Any = inspect(cls).local_table
        current = session.scalar(select(table.c.version).where(table.c.id == row_id))
        if current != version:
            return {"resource": table.name, "id": row_id, "current_version": current}
    return {}


def init_versioning() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_transaction_end", _transaction_end)
