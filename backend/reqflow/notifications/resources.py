"""/notifications: my notifications, unread count, mark read; e-mail preferences."""

from __future__ import annotations

from flask import Blueprint
from flask_restful import Resource

from reqflow.core.api import make_api
from reqflow.core.envelope import ok
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required
from reqflow.core.schemas import load, query_args, shared
from reqflow.notifications import service
from reqflow.notifications.models import Notification
from reqflow.notifications.schemas import (
    NotificationQuery,
    NotificationRead,
    PreferenceRead,
    PreferencesUpdate,
)

bp = Blueprint("notifications", __name__)
api = make_api(bp)


class NotificationList(Resource):
    schemas = {"get": {"query": NotificationQuery, "response": NotificationRead, "many": True}}

    @login_required
    def get(self):
        """My notifications, newest first; ``since_id`` fetches what a reconnect missed."""
        user = current_user()
        args = query_args(shared(NotificationQuery))
        query = service.list_query(
            user.id, unread=args.get("unread"), since_id=args.get("since_id")
        )
        page = paginate(apply_sort(query, {"id": Notification.id}, "-id"))
        data = {
            "notifications": shared(NotificationRead).dump(page.items, many=True),
            "pagination": page.meta(),
            "unread_count": service.unread_count(user.id),
        }
        return ok(data, "Notifications retrieved", headers=page.headers())


class NotificationMarkRead(Resource):
    schemas = {"post": {"response": NotificationRead}}

    @login_required
    def post(self, notification_id: int):
        """Mark one notification read."""
        row = service.mark_read(user_id=current_user().id, notification_id=notification_id)
        return ok(
            {
                "notification": shared(NotificationRead).dump(row),
                "unread_count": service.unread_count(row.user_id),
            },
            "Marked read",
        )


class NotificationReadAll(Resource):
    @login_required
    def post(self):
        """Mark all my notifications read."""
        count = service.mark_all_read(user_id=current_user().id)
        return ok({"marked": count, "unread_count": 0}, f"{count} notifications marked read")


class Preferences(Resource):
    schemas = {
        "get": {"response": PreferenceRead, "many": True},
        "put": {"body": PreferencesUpdate, "response": PreferenceRead, "many": True},
    }

    @login_required
    def get(self):
        """Which notification types I get by e-mail."""
        prefs = service.preferences(current_user().id)
        return ok({"preferences": PreferenceRead().dump(prefs, many=True)}, "Preferences")

    @login_required
    def put(self):
        """Change which notification types I get by e-mail: ``{"email": {type: bool}}``."""
        data = load(PreferencesUpdate())
        prefs = service.set_preferences(user_id=current_user().id, changes=data["email"])
        return ok({"preferences": PreferenceRead().dump(prefs, many=True)}, "Preferences saved")


api.add_resource(NotificationList, "/notifications")
api.add_resource(NotificationReadAll, "/notifications/read-all")
api.add_resource(Preferences, "/notifications/preferences")
api.add_resource(NotificationMarkRead, "/notifications/<int:notification_id>/read")
