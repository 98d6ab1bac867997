"""What each kind of import reads and writes: columns, natural key, references, and how a
row becomes a new or changed record (with its usual per-record audit entry)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select

from reqflow.catalog import events as catalog_events
from reqflow.catalog.models import Item, Supplier
from reqflow.catalog.schemas import ItemCreate, SupplierCreate
from reqflow.events import DomainEvent, audit_only
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.imports.columns import Column, coerce
from reqflow.imports.rowkeys import SideKeys
from reqflow.inventory import events as inventory_events
from reqflow.inventory.models import StorageLocation
from reqflow.inventory.schemas import LocationCreate
from reqflow.projects import events as project_events
from reqflow.projects.models import Project
from reqflow.projects.schemas import ProjectCreate

Errors = list[tuple[str, str]]  # (column, message)


@dataclass
class Plan:
    """What one valid row does: create, update (with the changed fields) or nothing."""

    action: str  # create | update | skip
    key: Any
    fields: dict[str, Any]
    target: Any = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ref:
    """A column naming another record by its natural key (supplier code, username…)."""

    column: str
    model: Any
    attr: str
    field: str
    label: str
    upper: bool = True

    def norm(self, value: Any) -> str:
        text = str(value).strip()
        return text.upper() if self.upper else text


class Kind(ABC):
    name = ""
    title = ""
    permission: tuple[str, str] = ("", "")  # ``import:<name>`` (identity.permissions)
    columns: tuple[Column, ...] = ()
    refs: tuple[Ref, ...] = ()
    keeps_created = False  # collect created ids (for work after commit, e.g. invitations)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            cls.permission = ("import", cls.name)

    def __init__(self) -> None:
        self._refs: dict[str, dict[str, int]] = {}
        self._existing: dict[Any, Any] = {}
        self.created_ids: list[int] = []
        self.actor_id: int | None = None  # who runs the import (set by the service)
        self.side: SideKeys | None = None  # side keys of the scan (set by it)
        self.row = 0  # the number of the row being planned (set by the scan)

    # reading ---------------------------------------------------------------------------
    @abstractmethod
    def key_of(self, values: dict[str, Any]) -> Any:
        """Each kind of import says it."""

    def key_label(self) -> str:
        return self.columns[0].name

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        """Load, for one chunk of rows, the records its keys and references name."""
        for ref in self.refs:
            wanted = {ref.norm(r[ref.column]) for r in rows if r.get(ref.column)}
            self._refs[ref.column] = _lookup(ref.model, ref.attr, wanted, upper=ref.upper)
        self._existing = self.existing([self.key_of(r) for r in rows])

    @abstractmethod
    def existing(self, keys: list[Any]) -> dict[Any, Any]:
        """Each kind of import says it."""

    @abstractmethod
    def plan(self, values: dict[str, Any]) -> tuple[Plan | None, Errors]:
        """Each kind of import says it."""

    # writing ---------------------------------------------------------------------------
    @abstractmethod
    def apply(self, plans: list[Plan], actor_id: int) -> None:
        """Each kind of import says it."""

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.name,
            "title": self.title,
            "key": self.key_label(),
            "columns": [c.describe() for c in self.columns],
        }


def _lookup(model: Any, attr: str, values: Iterable[str], *, upper: bool) -> dict[str, int]:
    values = list(values)
    if not values:
        return {}
    column = getattr(model, attr)
    rows = db.session.execute(select(column, model.id).where(column.in_(values))).all()
    return {(k.upper() if upper else k): v for k, v in rows}


def load_row(schema: Schema, columns: tuple[Column, ...], values: dict[str, Any]) -> Any:
    """The row through the domain's own create schema: (data, errors by column)."""
    by_field = {c.target: c.name for c in columns}
    raw = {}
    for column in columns:
        cell = coerce(column, values.get(column.name))
        if cell is not None and column.target in schema.fields:
            raw[column.target] = cell
    try:
        return schema.load(raw), []
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"": exc.messages}
        return None, [
            (by_field.get(name, name), str(msg))
            for name, msgs in messages.items()
            for msg in (msgs if isinstance(msgs, list) else [msgs])
        ]


class EntityKind(Kind):
    """A master-data record with a unique natural key column (code, SKU)."""

    model: Any = None
    key_attr = "code"
    schema: type[Schema] = Schema
    fields: tuple[str, ...] = ()
    created: type[DomainEvent] = DomainEvent
    updated: type[DomainEvent] = DomainEvent

    def key_of(self, values: dict[str, Any]) -> Any:
        cell = coerce(self.columns[0], values.get(self.columns[0].name))
        return None if cell is None else self.normal(str(cell))

    def normal(self, key: str) -> str:
        return key.upper()

    def existing(self, keys: list[Any]) -> dict[Any, Any]:
        wanted = [k for k in keys if k]
        if not wanted:
            return {}
        column = getattr(self.model, self.key_attr)
        found = db.session.scalars(select(self.model).where(column.in_(wanted)))
        return {self.normal(getattr(r, self.key_attr)): r for r in found}

    def _resolve(self, values: dict[str, Any], data: dict[str, Any], errors: Errors) -> None:
        for ref in self.refs:
            raw = values.get(ref.column)
            if raw is None or str(raw).strip() == "":
                data[ref.field] = None
                continue
            found = self._refs.get(ref.column, {}).get(ref.norm(raw))
            if found is None:
                errors.append((ref.column, f"No {ref.label} {str(raw).strip()!r}."))
            data[ref.field] = found

    def plan(self, values: dict[str, Any]) -> tuple[Plan | None, Errors]:
        data, errors = load_row(self.schema(), self.columns, values)
        self._resolve(values, data or {}, errors)
        if data is None or errors:
            return None, errors
        fields = {f: data.get(f) for f in self.fields}
        key = self.normal(fields[self.key_attr])
        current = self._existing.get(key)
        if current is None:
            return Plan("create", key, fields), []
        changes = {f: v for f, v in fields.items() if getattr(current, f) != v}
        return Plan("update" if changes else "skip", key, fields, current, changes), []

    def new(self, fields: dict[str, Any]) -> Any:
        return self.model(**fields)

    def apply(self, plans: list[Plan], actor_id: int) -> None:
        created = []
        for plan in plans:
            if plan.action == "create":
                record = self.new(plan.fields)
                db.session.add(record)
                created.append(record)
            elif plan.action == "update":
                old = plan.target.audit_view()
                for name, value in plan.changes.items():
                    setattr(plan.target, name, value)
                new = plan.target.audit_view()
                changed = [k for k in new if new[k] != old[k]]
                audit_only(
                    self.updated(
                        actor_id=actor_id,
                        resource_id=plan.target.id,
                        old_values={k: old[k] for k in changed},
                        new_values={k: new[k] for k in changed},
                    )
                )
        db.session.flush()
        if self.keeps_created:
            self.created_ids.extend(record.id for record in created)
        for record in created:
            audit_only(
                self.created(
                    actor_id=actor_id, resource_id=record.id, new_values=record.audit_view()
                )
            )


class SupplierKind(EntityKind):
    name, title = "suppliers", "Suppliers"
    model, schema = Supplier, SupplierCreate
    created, updated = catalog_events.SupplierCreated, catalog_events.SupplierUpdated
    fields: tuple[str, ...] = ("code", "name", "contact_email", "contact_phone", "address")
    fields += ("tax_id", "payment_terms_days")
    columns = (
        Column("code", True, "Unique supplier code, 2-20 of A-Z 0-9 _ -", "ACME"),
        Column("name", True, "Company name", "Acme Bearings Ltd"),
        Column("contact_email", False, "Orders go to this address", "orders@acme.example"),
        Column("contact_phone", False, "Phone", "+1 555 0100"),
        Column("address", False, "Postal address", "1 Industrial Way, Springfield"),
        Column("tax_id", False, "VAT / tax number", "US-12-3456789"),
        Column("payment_terms_days", False, "0-365, default 30", "30", kind="integer"),
    )


class ItemKind(EntityKind):
    name, title = "items", "Catalog items"
    model, schema, key_attr = Item, ItemCreate, "sku"
    created, updated = catalog_events.ItemCreated, catalog_events.ItemUpdated
    fields: tuple[str, ...] = ("sku", "name", "description", "uom", "category")
    fields += ("reorder_level", "preferred_supplier_id", "last_price")
    refs = (Ref("preferred_supplier_code", Supplier, "code", "preferred_supplier_id", "supplier"),)
    columns = (
        Column("sku", True, "Unique stock-keeping unit, 1-50 of A-Z 0-9 . _ / -", "BRG-6204"),
        Column("name", True, "Item name", "Ball bearing 6204-2RS"),
        Column("description", False, "Longer description", "Deep groove, sealed"),
        Column("uom", False, "Unit of measure, default EA", "EA", ("EA", "BOX", "KG", "M", "L")),
        Column("category", False, "Catalog category", "Bearings"),
        Column("reorder_level", False, "Low-stock threshold (quantity)", "10", kind="decimal"),
        Column("preferred_supplier_code", False, "Code of an existing supplier", "ACME"),
        Column("last_price", False, "Last unit price", "4.20", kind="decimal"),
    )


class ProjectKind(EntityKind):
    name, title = "projects", "Projects and budgets"
    model, schema = Project, ProjectCreate
    created, updated = project_events.ProjectCreated, project_events.ProjectUpdated
    fields = ("code", "name", "description", "budget_amount", "owner_id")
    refs = (Ref("owner_username", User, "username", "owner_id", "user", upper=False),)
    columns = (
        Column("code", True, "Unique project code", "LINE-4"),
        Column("name", True, "Project name", "Assembly line 4 retrofit"),
        Column("description", False, "What it is for", "Conveyor and robot cell"),
        Column("budget_amount", True, "Budget in the base currency", "250000.00", kind="decimal"),
        Column("owner_username", False, "Username of the project owner", "procmgr"),
    )


class LocationKind(EntityKind):
    name, title = "locations", "Storage locations"
    model, schema = StorageLocation, LocationCreate
    created = inventory_events.StorageLocationCreated
    updated = inventory_events.StorageLocationUpdated
    fields = ("code", "name", "capacity", "is_active")
    columns = (
        Column("code", True, "Zone-aisle-bin, e.g. A-01-03", "A-01-03"),
        Column("name", True, "Location name", "Main store, aisle 1, bin 3"),
        Column("capacity", False, "Capacity (quantity), optional", "500", kind="decimal"),
        Column(
            "is_active", False, "true / false, default true", "true", ("true", "false"), "boolean"
        ),
    )
