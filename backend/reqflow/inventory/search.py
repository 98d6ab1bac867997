"""Inventory search (``GET /inventory``) and the low-stock list: aggregate SQL, no row loops.

``q`` is full-text over item SKU, name and description (PostgreSQL: ``to_tsquery`` with a
prefix match per word on the GIN-indexed ``ITEM_DOCUMENT``; elsewhere ``LIKE`` per word).
Goods without a catalog item are matched on their PO line description.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Select, and_, any_, cast, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from reqflow.catalog.models import Item
from reqflow.catalog.service import like_pattern
from reqflow.core.money import quantity
from reqflow.core.pagination import Page, page_args
from reqflow.extensions import db
from reqflow.inventory.ledger import StockBalance
from reqflow.inventory.models import ITEM_DOCUMENT, StockStatus, StorageLocation

ZERO = Decimal("0")


def available_by_item() -> Any:
    """Subquery: item id → Available quantity over all locations."""
    return (
        select(StockBalance.item_id, func.sum(StockBalance.quantity).label("available"))
        .where(StockBalance.status == StockStatus.AVAILABLE, StockBalance.item_id.is_not(None))
        .group_by(StockBalance.item_id)
        .subquery("available_by_item")
    )


def available_total(item_id: Any) -> Any:
    """Correlated scalar: the Available quantity of ``item_id`` over all locations. In a page
    of rows it is computed for those rows only (an index probe each), not for every item."""
    other = aliased(StockBalance)
    return (
        select(func.coalesce(func.sum(other.quantity), 0))
        .where(other.item_id == item_id, other.status == StockStatus.AVAILABLE)
        .scalar_subquery()
    )


def available_of(item_id: int) -> Decimal:
    total = db.session.scalar(
        select(func.coalesce(func.sum(StockBalance.quantity), 0)).where(
            StockBalance.item_id == item_id, StockBalance.status == StockStatus.AVAILABLE
        )
    )
    return quantity(total or 0)


def words(q: str | None) -> list[str]:
    """The letters-and-digits runs of ``q`` (as the indexed document is split), at most 10."""
    return re.findall(r"[^\W_]+", (q or "").lower())[:10]


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def text_condition(q: str) -> Any:
    """Every word of ``q`` matches the item (or, without an item, the line description)."""
    terms = words(q)
    if not terms:
        return None
    described = and_(
        StockBalance.item_id.is_(None),
        *(StockBalance.description.ilike(like_pattern(t), escape="\\") for t in terms),
    )
    if _postgresql():
        tsquery = " & ".join(f"{t}:*" for t in terms)
        # The matching item ids as one array computed once: `item_id = ANY(…)` is an index
        # probe, where `IN (subquery) OR …` made PostgreSQL scan every balance; the free-text
        # arm has its own partial trigram index (item_id IS NULL).
        matched = (
            select(func.array_agg(Item.id))
            .where(
                ITEM_DOCUMENT.op("@@")(
                    func.to_tsquery(literal_column("'simple'::regconfig"), tsquery)
                )
            )
            .scalar_subquery()
        )
        # (the cast keeps `ANY` reading an array, not the rows of a subquery)
        return or_(StockBalance.item_id == any_(cast(matched, ARRAY(Integer))), described)
    fields = (Item.sku, Item.name, Item.description)
    per_word = [or_(*(f.ilike(like_pattern(t), escape="\\") for f in fields)) for t in terms]
    return or_(and_(StockBalance.item_id.is_not(None), *per_word), described)


def _rows_with_available(filtered_on_low: bool) -> tuple[Select[Any], Any]:
    """Balances with their item, location, the item's Available total and the low flag."""
    query = select(StockBalance)
    if filtered_on_low:
        # Filtered on: one aggregate over all items beats a probe per candidate row.
        available = available_by_item()
        total = func.coalesce(available.c.available, 0)
        query = query.outerjoin(available, available.c.item_id == StockBalance.item_id)
    else:
        # Shown, not filtered on: computed for the page's rows only.
        total = available_total(StockBalance.item_id)
    low = and_(Item.reorder_level > 0, total < Item.reorder_level)
    query = (
        query.add_columns(Item, StorageLocation, total.label("available_total"), low)
        .join(StorageLocation, StorageLocation.id == StockBalance.location_id)
        .outerjoin(Item, Item.id == StockBalance.item_id)
    )
    return query, low


def inventory_query(args: dict[str, Any], *, include_empty: bool = False) -> Select[Any]:
    """Stock rows per item (or PO line goods) × location × status, with the item's reorder
    level and a ``low_stock`` flag (Available over all locations below the reorder level)."""
    query, low = _rows_with_available(args.get("low_stock") is not None)
    if not include_empty:
        query = query.where(StockBalance.quantity > 0)
    if args.get("q"):
        condition = text_condition(args["q"])
        if condition is not None:
            query = query.where(condition)
    if args.get("location_id") is not None:
        query = query.where(StockBalance.location_id == args["location_id"])
    if args.get("location"):
        query = query.where(StorageLocation.code == args["location"].upper())
    if args.get("status"):
        query = query.where(StockBalance.status == args["status"])
    if args.get("item_id") is not None:
        query = query.where(StockBalance.item_id == args["item_id"])
    if args.get("low_stock") is True:
        query = query.where(low)
    elif args.get("low_stock") is False:
        query = query.where(~low | Item.id.is_(None))
    return query


SORTABLE = {
    "name": func.coalesce(Item.name, StockBalance.description),
    "sku": Item.sku,
    "location": StorageLocation.code,
    "status": StockBalance.status,
    "quantity": StockBalance.quantity,
    "updated_at": StockBalance.updated_at,
    "id": StockBalance.id,
}


def paginate_rows(query: Select[Any]) -> Page:
    """``core.pagination.paginate`` for multi-entity rows."""
    page, per_page = page_args()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(rows), page=page, per_page=per_page, total=int(total or 0))


def inventory_row(row: Any) -> dict[str, Any]:
    balance, item, location, available_total, low = row
    return {
        "id": balance.id,
        "stock_key": balance.stock_key,
        "item_id": balance.item_id,
        "po_line_id": balance.po_line_id,
        "sku": item.sku if item else None,
        "name": item.name if item else balance.description,
        "description": item.description if item else balance.description,
        "uom": item.uom if item else balance.uom,
        "location": location,
        "status": balance.status,
        "quantity": balance.quantity,
        "reorder_level": item.reorder_level if item else None,
        "available_total": available_total if item else None,
        "low_stock": bool(low) if item else False,
        "updated_at": balance.updated_at,
    }


def inventory_row_by_id(balance_id: int) -> dict[str, Any]:
    """One stock row as the search lists it (also when its quantity is zero)."""
    query = inventory_query({}, include_empty=True).where(StockBalance.id == balance_id)
    row = db.session.execute(query.execution_options(populate_existing=True)).one()
    return inventory_row(row)


def low_stock_query(q: str | None = None) -> Select[Any]:
    """Active items with a reorder level whose Available stock (all locations) is below it;
    an item never received counts as zero."""
    available = available_by_item()
    total = func.coalesce(available.c.available, 0)
    query = (
        select(Item, total.label("available"))
        .outerjoin(available, available.c.item_id == Item.id)
        .where(Item.is_active.is_(True), Item.reorder_level > 0, total < Item.reorder_level)
    )
    if words(q):
        fields = (Item.sku, Item.name, Item.description)
        for term in words(q):
            query = query.where(or_(*(f.ilike(like_pattern(term), escape="\\") for f in fields)))
    return query


LOW_STOCK_SORT = {
    "sku": Item.sku,
    "name": Item.name,
    "reorder_level": Item.reorder_level,
    "id": Item.id,
}


def low_stock_row(row: Any) -> dict[str, Any]:
    item, available = row
    available = quantity(available or 0)
    return {
        "item_id": item.id,
        "sku": item.sku,
        "name": item.name,
        "uom": item.uom,
        "reorder_level": item.reorder_level,
        "available": available,
        "shortfall": quantity(item.reorder_level - available),
        "preferred_supplier": item.preferred_supplier,
        "last_price": item.last_price,
    }
