"""/notifications: my notifications, unread count, mark read; e-mail preferences."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_restful import Resource
from marshmallow import fields

from reqflow.core.api import make_api
from reqflow.core.envelope import ok
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required
from reqflow.core.schemas import load, query_args, shared
from reqflow.notifications import digest, service
from reqflow.notifications.models import Notification
from reqflow.notifications.schemas import (
    NotificationQuery,
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    ReadAllResult,
)

bp = Blueprint("notifications", __name__)
api = make_api(bp)


class NotificationList(Resource):
    schemas = {
        "get": {
            "query": NotificationQuery,
            "response": NotificationRead,
            "many": True,
            "key": "notifications",
            "extra": {"unread_count": fields.Integer(required=True)},
        }
    }

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
    schemas = {
        "post": {
            "response": NotificationRead,
            "key": "notification",
            "extra": {"unread_count": fields.Integer(required=True)},
        }
    }

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
    schemas = {"post": {"response": ReadAllResult, "key": None}}

    @login_required
    def post(self):
        """Mark all my notifications read."""
        count = service.mark_all_read(user_id=current_user().id)
        return ok(
            ReadAllResult().dump({"marked": count, "unread_count": 0}),
            f"{count} notifications marked read",
        )


def _preferences(user_id: int) -> dict:
    return PreferencesRead().dump(
        {
            "preferences": service.preferences(user_id),
            "email_digest": digest.digest_mode(user_id),
            "digest_minutes": current_app.config["EMAIL_DIGEST_MINUTES"],
        }
    )


class Preferences(Resource):
    schemas = {
        "get": {"response": PreferencesRead, "key": None},
        "put": {"body": PreferencesUpdate, "response": PreferencesRead, "key": None},
    }

    @login_required
    def get(self):
        """Which notification types I get by e-mail, and how role-wide approvals reach me."""
        return ok(_preferences(current_user().id), "Preferences")

    @login_required
    def put(self):
        """Change my e-mail preferences: ``{"email": {type: bool}, "email_digest": mode}``."""
        data = load(PreferencesUpdate())
        user_id = current_user().id
        if "email" in data:
            service.set_preferences(user_id=user_id, changes=data["email"])
        if "email_digest" in data:
            digest.set_digest_mode(user_id=user_id, mode=data["email_digest"])
        return ok(_preferences(user_id), "Preferences saved")


api.add_resource(NotificationList, "/notifications")
api.add_resource(NotificationReadAll, "/notifications/read-all")
api.add_resource(Preferences, "/notifications/preferences")
api.add_resource(NotificationMarkRead, "/notifications/<int:notification_id>/read")
