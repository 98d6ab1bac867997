"""Thin resources: /auth/*, /users, /departments."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app
from flask_jwt_extended import (
    get_jwt,
    set_access_cookies,
    set_refresh_cookies,
    unset_jwt_cookies,
)
from flask_restful import Resource

from reqflow.core.api import make_api, paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, query_args, shared
from reqflow.errors import Forbidden
from reqflow.extensions import limiter
from reqflow.identity import auth, invitations, mfa, service
from reqflow.identity.models import Department, User
from reqflow.identity.schemas import (
    ChangePasswordRequest,
    DepartmentCreate,
    DepartmentRead,
    LoginRequest,
    LoginResult,
    MeRead,
    SetPasswordRequest,
    TokenPair,
    UserCreate,
    UserLookupQuery,
    UserLookupRead,
    UserQuery,
    UserRead,
    UserUpdate,
)

bp = Blueprint("identity", __name__)
api = make_api(bp)


def _seconds(setting: str) -> int:
    return int(current_app.config[setting].total_seconds())


def _token_response(
    user: User, tokens: dict[str, Any], message: str, extra: dict[str, Any] | None = None
) -> Any:
    """Tokens in the body and in httpOnly cookies that expire with the tokens inside them."""
    response = ok({**tokens, **(extra or {}), "user": shared(MeRead).dump(user)}, message)
    set_access_cookies(
        response, tokens["access_token"], max_age=_seconds("JWT_ACCESS_TOKEN_EXPIRES")
    )
    set_refresh_cookies(
        response, tokens["refresh_token"], max_age=_seconds("JWT_REFRESH_TOKEN_EXPIRES")
    )
    return response


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


class Login(Resource):
    schemas = {
        "post": {
            "body": LoginRequest,
            "response": LoginResult,
            "key": None,
            "public": True,
            "errors": [401],
        }
    }
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    def post(self):
        """Log in with username or e-mail; returns tokens and sets httpOnly cookies, or,
        when a second factor is due, an MFA challenge for ``/auth/mfa/verify`` (enrolled)
        or ``/auth/mfa/enrol`` (a role that requires MFA, not yet enrolled)."""
        data = load(LoginRequest())
        identifier = data.get("username") or data.get("email") or ""
        user = auth.check_password(identifier=identifier, password=data["password"])
        if mfa.enabled(user) or mfa.required_for(user):
            return ok(mfa.challenge_for(user), "Second factor required")
        auth.complete_login(user)
        return _token_response(user, auth.issue_tokens(user), "Logged in")


class Refresh(Resource):
    schemas = {"post": {"response": TokenPair, "key": None, "public": True, "errors": [401]}}

    def post(self):
        """Rotate the refresh token (cookie or Bearer refresh token)."""
        user = current_user(refresh=True)
        tokens = auth.refresh(user=user, claims=get_jwt())
        return _token_response(user, tokens, "Tokens refreshed")


class Logout(Resource):
    schemas: dict = {"post": {}}

    @login_required
    def post(self):
        """Revoke the tokens and end every session of the user."""
        auth.logout(user=current_user(), claims=get_jwt())
        response = ok(None, "Logged out")
        unset_jwt_cookies(response)
        return response


class Me(Resource):
    schemas = {"get": {"response": MeRead, "key": "user"}}

    @login_required
    def get(self):
        """The caller's profile, permissions and the base currency (BASE_CURRENCY)."""
        return ok({"user": shared(MeRead).dump(current_user())}, "Profile retrieved")


class ChangePassword(Resource):
    schemas = {"post": {"body": ChangePasswordRequest}}

    @login_required
    def post(self):
        """Change the caller's password; every existing token stops working."""
        data = load(ChangePasswordRequest())
        service.change_password(user=current_user(), **data)
        response = ok(None, "Password changed; please log in again")
        unset_jwt_cookies(response)
        return response


USER_SORT = {
    "username": User.username,
    "full_name": User.full_name,
    "created_at": User.created_at,
    "role": User.role,
    "id": User.id,
}


def user_list_query() -> Any:
    """The user list's query under this request's filters and sort (user:manage)."""
    if not current_user().can("user", "manage"):
        raise Forbidden("You do not have permission to do this")
    return apply_sort(service.users_query(**query_args(UserQuery())), USER_SORT, "username")


class UserList(Resource):
    schemas = {
        "get": {"query": UserQuery, "response": UserRead, "many": True, "key": "users"},
        "post": {"body": UserCreate, "response": UserRead, "key": "user", "status": 201},
    }

    @require_permission("user", "manage")
    def get(self):
        """List users with search and filters."""
        page = paginate(user_list_query(), plan=auth.PROFILE)
        return paged(page, shared(UserRead), "users", "Users retrieved")

    @require_permission("user", "manage")
    @idempotent
    def post(self):
        """Create a user."""
        user = service.create_user(actor=current_user(), data=load(UserCreate()))
        return created({"user": shared(UserRead).dump(user)}, "User created")


class UserDetail(Resource):
    schemas = {
        "get": {"response": UserRead, "key": "user"},
        "put": {"body": UserUpdate, "response": UserRead, "key": "user"},
    }

    @require_permission("user", "manage")
    def get(self, user_id: int):
        """One user."""
        return ok({"user": shared(UserRead).dump(service.get_user(user_id))}, "User retrieved")

    @require_permission("user", "manage")
    def put(self, user_id: int):
        """Update a user (send the current ``version``)."""
        user = service.update_user(actor=current_user(), user_id=user_id, data=load(UserUpdate()))
        return ok({"user": shared(UserRead).dump(user)}, "User updated")


class UserDeactivate(Resource):
    schemas = {"post": {"response": UserRead, "key": "user"}}

    @require_permission("user", "manage")
    def post(self, user_id: int):
        """Deactivate a user: every token of theirs stops working at once."""
        user = service.deactivate_user(actor=current_user(), user_id=user_id)
        return ok({"user": shared(UserRead).dump(user)}, "User deactivated")


class UserLookup(Resource):
    schemas = {
        "get": {"query": UserLookupQuery, "response": UserLookupRead, "many": True, "key": "users"}
    }

    @login_required
    def get(self):
        """Find active colleagues by name (for pickers such as delegation)."""
        args = query_args(UserLookupQuery())
        query = service.users_query(q=args.get("q"), is_active=True)
        query = apply_sort(query, {"full_name": User.full_name}, "full_name")
        return paged(paginate(query), UserLookupRead(), "users", "Users found")


class DepartmentList(Resource):
    schemas = {
        "get": {"response": DepartmentRead, "many": True, "key": "departments"},
        "post": {
            "body": DepartmentCreate,
            "response": DepartmentRead,
            "key": "department",
            "status": 201,
        },
    }

    @login_required
    def get(self):
        """List departments."""
        from sqlalchemy import select

        query = apply_sort(
            select(Department), {"name": Department.name, "code": Department.code}, "name"
        )
        return paged(paginate(query), DepartmentRead(), "departments", "Departments retrieved")

    @require_permission("department", "manage")
    @idempotent
    def post(self):
        """Create a department."""
        department = service.create_department(actor=current_user(), **load(DepartmentCreate()))
        return created({"department": DepartmentRead().dump(department)}, "Department created")


api.add_resource(Login, "/auth/login")
api.add_resource(Refresh, "/auth/refresh")
api.add_resource(Logout, "/auth/logout")
api.add_resource(Me, "/auth/me")
api.add_resource(ChangePassword, "/auth/change-password")
api.add_resource(UserList, "/users")
api.add_resource(UserLookup, "/users/lookup")
api.add_resource(UserDetail, "/users/<int:user_id>")
api.add_resource(UserDeactivate, "/users/<int:user_id>/deactivate")
api.add_resource(DepartmentList, "/departments")


class SetPassword(Resource):
    schemas = {"post": {"body": SetPasswordRequest}}

    def post(self):
        """Set the first password from an invitation link (works once, expires)."""
        data = load(SetPasswordRequest())
        invitations.set_password(token=data["token"], password=data["password"])
        return ok({}, "Password set; you can sign in now")


api.add_resource(SetPassword, "/auth/set-password")
