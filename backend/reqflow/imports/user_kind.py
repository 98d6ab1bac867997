"""Users: role, department, line manager, active or not; created without a password and
invited by e-mail (a set-password link that expires) after the import commits. A file never
holds passwords. A changed user goes through identity's own ``change_user`` (audit, event;
a new role or a deactivation ends the user's sessions and closes their sockets)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, pre_load, validate
from sqlalchemy import select

from reqflow.extensions import db
from reqflow.identity import events as identity_events
from reqflow.identity.invitations import UNUSABLE_PASSWORD
from reqflow.identity.models import Department, User
from reqflow.identity.permissions import Role
from reqflow.identity.service import change_user
from reqflow.imports.columns import Column
from reqflow.imports.kinds import EntityKind, Errors, Plan, Ref

ROLES = tuple(r.value for r in Role)
USER, EMAIL, EMAIL_OF = "user", "email", "email-of"  # side key spaces: a row's username,
# its e-mail, and the pair (the same user again is a duplicate row, not a taken e-mail)


def _owned(row: dict[str, Any]) -> str:
    email = str(row["email"]).strip().lower()
    return f"{email}\x1f{str(row['username']).strip().lower()}"


class UserRow(Schema):
    username = fields.String(
        required=True,
        validate=validate.Regexp(r"^[a-z0-9._-]{3,80}$", error="3-80 of a-z 0-9 . _ -"),
    )
    email = fields.Email(required=True, validate=validate.Length(max=254))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    is_active = fields.Boolean(allow_none=True, load_default=None)

    @pre_load
    def _clean(self, data: Any, **_: Any) -> Any:
        out = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        for key in ("username", "email"):
            if isinstance(out.get(key), str):
                out[key] = out[key].lower()
        return out


class UserKind(EntityKind):
    name, title = "users", "Users (invited by e-mail)"
    model, schema, key_attr = User, UserRow, "username"
    keeps_created = True  # each is invited once the import commits
    created, updated = identity_events.UserCreated, identity_events.UserUpdated
    fields = ("username", "email", "full_name", "role", "department_id", "manager_id", "is_active")
    refs = (
        Ref("department_code", Department, "code", "department_id", "department"),
        Ref("manager_username", User, "username", "manager_id", "user", upper=False),
    )
    columns = (
        Column("username", True, "Unique login name, 3-80 of a-z 0-9 . _ -", "j.doe"),
        Column("email", True, "The invitation goes here; unique", "j.doe@example.com"),
        Column("full_name", True, "Name shown in the app", "Jane Doe"),
        Column("role", True, "One of the roles", "Engineer", ROLES),
        Column("department_code", False, "Code of an existing department", "ENG"),
        Column("manager_username", False, "Line manager (existing, or earlier in the file)", ""),
        Column(
            "is_active",
            False,
            "false deactivates the user; blank keeps a user as is (a new user is active)",
            "true",
            ("true", "false"),
            "boolean",
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        # per chunk only: what the file's earlier rows hold lives in the scan's side keys
        self._emails: dict[str, str] = {}  # e-mail → username of the chunk's database users
        self._pending: dict[str, str] = {}  # username → manager created earlier in the file

    def normal(self, key: str) -> str:
        return key.lower()

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:  # a manager named by this chunk may be a user of the file
            if row.get("manager_username"):
                row["manager_username"] = str(row["manager_username"]).strip().lower()
        super().prefetch(rows)
        self._pending = {}
        wanted = {str(r["email"]).strip().lower() for r in rows if r.get("email")}
        self._emails = {}
        if wanted:
            stmt = select(User.email, User.username).where(User.email.in_(wanted))
            self._emails = dict(db.session.execute(stmt).tuples().all())
        if self.side is not None:
            self.side.load(
                {(USER, str(r["manager_username"])) for r in rows if r.get("manager_username")}
                | {(USER, str(r["username"]).strip().lower()) for r in rows if r.get("username")}
                | {(EMAIL, e) for e in wanted}
                | {(EMAIL_OF, _owned(r)) for r in rows if r.get("email") and r.get("username")}
            )

    def _seen(self, space: str, value: str) -> int | None:
        return None if self.side is None else self.side.seen(space, value)

    def _resolve(self, values: dict[str, Any], data: dict[str, Any], errors: Errors) -> None:
        manager = values.get("manager_username")
        in_file = bool(manager) and self._seen(USER, str(manager)) is not None
        if in_file and manager not in self._refs["manager_username"]:
            values = {**values, "manager_username": None}
        super()._resolve(values, data, errors)
        username, email = data.get("username"), data.get("email")
        if username and manager and values.get("manager_username") is None:
            self._pending[username] = manager
        owner = self._emails.get(email or "")
        earlier = self._seen(EMAIL, email) if email else None
        if email and owner not in (None, username):
            errors.append(("email", f"Already the e-mail of user {owner!r}."))
        elif earlier is not None and self._seen(EMAIL_OF, f"{email}\x1f{username}") is None:
            errors.append(("email", f"Already the e-mail of row {earlier}."))
        if username and manager == username:
            errors.append(("manager_username", "A user cannot be their own manager."))

    def plan(self, values: dict[str, Any]) -> tuple[Plan | None, Errors]:
        plan, errors = super().plan(values)
        if plan is not None:
            self._keep_activity(plan, errors)
        username = str(values.get("username") or "").strip().lower()
        email = str(values.get("email") or "").strip().lower()
        if self.side is not None and username:
            self.side.note(USER, username, self.row)
            if email and not errors:
                self.side.note(EMAIL, email, self.row)
                self.side.note(EMAIL_OF, f"{email}\x1f{username}", self.row)
        return plan, errors

    def _keep_activity(self, plan: Plan, errors: Errors) -> None:
        """A blank ``is_active`` leaves the user as is; nobody deactivates themselves."""
        if plan.fields.get("is_active") is None:
            plan.fields["is_active"] = True if plan.target is None else plan.target.is_active
            plan.changes.pop("is_active", None)
            if plan.action == "update" and not plan.changes:
                plan.action = "skip"
        if plan.changes.get("is_active") is False and plan.target.id == self.actor_id:
            errors.append(("is_active", "You cannot deactivate your own account."))

    def new(self, fields: dict[str, Any]) -> Any:
        return User(**fields, password_hash=UNUSABLE_PASSWORD, password_history=[])

    def apply(self, plans: list[Plan], actor_id: int) -> None:
        for plan in plans:
            if plan.action == "update":
                change_user(actor_id=actor_id, user=plan.target, data=dict(plan.changes))
        super().apply([p for p in plans if p.action == "create"], actor_id)
        for plan in plans:
            pending = self._pending.get(plan.key)
            if pending and plan.action == "create":
                stmt = select(User.id).where(User.username == pending)
                manager_id = db.session.scalar(stmt)
                db.session.execute(
                    User.__table__.update()
                    .where(User.username == plan.key)
                    .values(manager_id=manager_id)
                )
