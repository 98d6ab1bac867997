"""Reference checks for requisition input: catalog items, suppliers and the project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reqflow.catalog.models import Item, Supplier
from reqflow.errors import ValidationFailed
from reqflow.extensions import db
from reqflow.projects.models import Project


def active_ids(model: Any, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(db.session.scalars(select(model.id).where(model.id.in_(ids), model.is_active)))


def check_references(data: dict[str, Any]) -> None:
    """422 naming each item line whose catalog item or supplier is unknown or inactive."""
    errors: dict[str, Any] = {}
    items = data.get("items") or []
    item_ids = {i["item_id"] for i in items if i.get("item_id")}
    supplier_ids = {i["suggested_supplier_id"] for i in items if i.get("suggested_supplier_id")}
    good_items, good_suppliers = active_ids(Item, item_ids), active_ids(Supplier, supplier_ids)
    for index, line in enumerate(items):
        line_errors = {}
        if line.get("item_id") and line["item_id"] not in good_items:
            line_errors["item_id"] = ["No such active catalog item."]
        if (
            line.get("suggested_supplier_id")
            and line["suggested_supplier_id"] not in good_suppliers
        ):
            line_errors["suggested_supplier_id"] = ["No such active supplier."]
        if line_errors:
            errors.setdefault("items", {})[index] = line_errors
    project_id = data.get("project_id")
    if project_id and not active_ids(Project, {project_id}):
        errors["project_id"] = ["No such active project."]
    if errors:
        raise ValidationFailed("Validation failed", details=errors)
