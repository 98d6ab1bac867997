"""Thin resources: /suppliers, /items."""

from __future__ import annotations

from flask import Blueprint
from flask_restful import Resource

from reqflow.catalog import service
from reqflow.catalog.models import Item, Supplier
from reqflow.catalog.schemas import (
    ItemCreate,
    ItemQuery,
    ItemRead,
    ItemUpdate,
    SupplierCreate,
    SupplierQuery,
    SupplierRead,
    SupplierUpdate,
)
from reqflow.core.api import make_api, paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, query_args

bp = Blueprint("catalog", __name__)
api = make_api(bp)

SUPPLIER_SORT = {
    "code": Supplier.code,
    "name": Supplier.name,
    "payment_terms_days": Supplier.payment_terms_days,
    "created_at": Supplier.created_at,
    "updated_at": Supplier.updated_at,
    "id": Supplier.id,
}

ITEM_SORT = {
    "sku": Item.sku,
    "name": Item.name,
    "category": Item.category,
    "last_price": Item.last_price,
    "created_at": Item.created_at,
    "updated_at": Item.updated_at,
    "id": Item.id,
}


def _supplier(supplier: Supplier, message: str):
    return ok({"supplier": SupplierRead().dump(supplier)}, message)


def _item(item: Item, message: str):
    return ok({"item": ItemRead().dump(item)}, message)


class SupplierList(Resource):
    schemas = {
        "get": {"query": SupplierQuery, "response": SupplierRead, "many": True, "key": "suppliers"},
        "post": {
            "body": SupplierCreate,
            "response": SupplierRead,
            "key": "supplier",
            "status": 201,
        },
    }

    @login_required
    def get(self):
        """List suppliers (active ones unless a manager asks for inactive)."""
        args = query_args(SupplierQuery())
        query = service.suppliers_query(actor=current_user(), **args)
        query = apply_sort(query, SUPPLIER_SORT, "code")
        return paged(paginate(query), SupplierRead(), "suppliers", "Suppliers retrieved")

    @require_permission("supplier", "manage")
    @idempotent
    def post(self):
        """Create a supplier."""
        supplier = service.create_supplier(actor=current_user(), data=load(SupplierCreate()))
        return created({"supplier": SupplierRead().dump(supplier)}, "Supplier created")


class SupplierDetail(Resource):
    schemas = {
        "get": {"response": SupplierRead, "key": "supplier"},
        "put": {"body": SupplierUpdate, "response": SupplierRead, "key": "supplier"},
    }

    @login_required
    def get(self, supplier_id: int):
        """One supplier (also a deactivated one, for the history of old documents)."""
        return _supplier(service.get_supplier(supplier_id), "Supplier retrieved")

    @require_permission("supplier", "manage")
    def put(self, supplier_id: int):
        """Update a supplier (send the current ``version``)."""
        data = load(SupplierUpdate())
        supplier = service.update_supplier(actor=current_user(), supplier_id=supplier_id, data=data)
        return _supplier(supplier, "Supplier updated")


class SupplierDeactivate(Resource):
    schemas = {"post": {"response": SupplierRead, "key": "supplier"}}

    @require_permission("supplier", "manage")
    def post(self, supplier_id: int):
        """Deactivate a supplier; it disappears from lists, its history stays."""
        supplier = service.deactivate_supplier(actor=current_user(), supplier_id=supplier_id)
        return _supplier(supplier, "Supplier deactivated")


class SupplierActivate(Resource):
    schemas = {"post": {"response": SupplierRead, "key": "supplier"}}

    @require_permission("supplier", "manage")
    def post(self, supplier_id: int):
        """Activate a supplier again."""
        supplier = service.activate_supplier(actor=current_user(), supplier_id=supplier_id)
        return _supplier(supplier, "Supplier activated")


class ItemList(Resource):
    schemas = {
        "get": {"query": ItemQuery, "response": ItemRead, "many": True, "key": "items"},
        "post": {"body": ItemCreate, "response": ItemRead, "key": "item", "status": 201},
    }

    @login_required
    def get(self):
        """List catalog items with search and filters."""
        query = service.items_query(actor=current_user(), **query_args(ItemQuery()))
        query = apply_sort(query, ITEM_SORT, "sku")
        return paged(paginate(query), ItemRead(), "items", "Items retrieved")

    @require_permission("item", "manage")
    @idempotent
    def post(self):
        """Create a catalog item."""
        item = service.create_item(actor=current_user(), data=load(ItemCreate()))
        return created({"item": ItemRead().dump(item)}, "Item created")


class ItemDetail(Resource):
    schemas = {
        "get": {"response": ItemRead, "key": "item"},
        "put": {"body": ItemUpdate, "response": ItemRead, "key": "item"},
    }

    @login_required
    def get(self, item_id: int):
        """One catalog item (also a deactivated one)."""
        return _item(service.get_item(item_id), "Item retrieved")

    @require_permission("item", "manage")
    def put(self, item_id: int):
        """Update an item (send the current ``version``)."""
        item = service.update_item(actor=current_user(), item_id=item_id, data=load(ItemUpdate()))
        return _item(item, "Item updated")


class ItemDeactivate(Resource):
    schemas = {"post": {"response": ItemRead, "key": "item"}}

    @require_permission("item", "manage")
    def post(self, item_id: int):
        """Deactivate an item; it disappears from the catalog lists."""
        return _item(
            service.deactivate_item(actor=current_user(), item_id=item_id), "Item deactivated"
        )


class ItemActivate(Resource):
    schemas = {"post": {"response": ItemRead, "key": "item"}}

    @require_permission("item", "manage")
    def post(self, item_id: int):
        """Activate an item again."""
        return _item(service.activate_item(actor=current_user(), item_id=item_id), "Item activated")


api.add_resource(SupplierList, "/suppliers")
api.add_resource(SupplierDetail, "/suppliers/<int:supplier_id>")
api.add_resource(SupplierDeactivate, "/suppliers/<int:supplier_id>/deactivate")
api.add_resource(SupplierActivate, "/suppliers/<int:supplier_id>/activate")
api.add_resource(ItemList, "/items")
api.add_resource(ItemDetail, "/items/<int:item_id>")
api.add_resource(ItemDeactivate, "/items/<int:item_id>/deactivate")
api.add_resource(ItemActivate, "/items/<int:item_id>/activate")
