"""Thin resources for /storage-locations (registered on the inventory blueprint's Api)."""

from __future__ import annotations

from typing import Any

from flask_restful import Resource

from reqflow.core.api import paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, query_args
from reqflow.errors import Forbidden
from reqflow.inventory import locations
from reqflow.inventory.models import StorageLocation
from reqflow.inventory.schemas import LocationCreate, LocationQuery, LocationRead, LocationUpdate

SORT = {
    "code": StorageLocation.code,
    "name": StorageLocation.name,
    "capacity": StorageLocation.capacity,
    "created_at": StorageLocation.created_at,
    "id": StorageLocation.id,
}


class LocationList(Resource):
    schemas = {
        "get": {"query": LocationQuery, "response": LocationRead, "many": True, "key": "locations"},
        "post": {
            "body": LocationCreate,
            "response": LocationRead,
            "key": "location",
            "status": 201,
        },
    }

    @login_required
    def get(self):
        """List storage locations (search by code or name; ``is_active`` filter)."""
        query = locations.query(actor=current_user(), **query_args(LocationQuery()))
        query = apply_sort(query, SORT, "code")
        return paged(paginate(query), LocationRead(), "locations", "Storage locations retrieved")

    @require_permission("storage", "manage")
    @idempotent
    def post(self):
        """Create a storage location (code like A-01-03: zone-aisle-bin)."""
        location = locations.create(actor=current_user(), data=load(LocationCreate()))
        return created({"location": LocationRead().dump(location)}, "Storage location created")


class LocationItem(Resource):
    schemas = {
        "get": {"response": LocationRead, "key": "location"},
        "put": {"body": LocationUpdate, "response": LocationRead, "key": "location"},
    }

    @login_required
    def get(self, location_id: int):
        """One storage location."""
        if not locations.can_read(current_user()):
            raise Forbidden("You do not have permission to do this")
        location = locations.get(location_id)
        return ok({"location": LocationRead().dump(location)}, "Storage location retrieved")

    @require_permission("storage", "manage")
    def put(self, location_id: int):
        """Rename, resize or (de)activate a location (send the current ``version``)."""
        data = load(LocationUpdate())
        location = locations.update(actor=current_user(), location_id=location_id, data=data)
        return ok({"location": LocationRead().dump(location)}, "Storage location updated")


def register(api: Any) -> None:
    api.add_resource(LocationList, "/storage-locations")
    api.add_resource(LocationItem, "/storage-locations/<int:location_id>")
