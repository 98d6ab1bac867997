"""The DomainError tree and the one handler that writes the error envelope."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response
from flask_jwt_extended.exceptions import CSRFError, JWTExtendedException
from jwt import PyJWTError
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, PendingRollbackError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from reqflow.core.envelope import error_response

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal the caller can act on; carries its HTTP status and machine code."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(
        self,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class BadRequest(DomainError):
    status, code = 400, "BAD_REQUEST"


class Unauthorized(DomainError):
    status, code = 401, "UNAUTHORIZED"


class AccountLocked(Unauthorized):
    code = "ACCOUNT_LOCKED"


class Forbidden(DomainError):
    status, code = 403, "FORBIDDEN"


class NotFound(DomainError):
    status, code = 404, "NOT_FOUND"


class Conflict(DomainError):
    status, code = 409, "CONFLICT"


class InvalidTransition(Conflict):
    code = "INVALID_TRANSITION"


class StaleVersion(Conflict):
    code = "STALE_VERSION"


class ValidationFailed(DomainError):
    status, code = 422, "VALIDATION_ERROR"


class RateLimited(DomainError):
    status, code = 429, "RATE_LIMITED"


HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
}


def _domain(e: DomainError) -> Response:
    return error_response(e.status, e.code, e.message, e.details, e.headers)


def _validation(e: ValidationError) -> Response:
    messages = e.messages if isinstance(e.messages, dict) else {"_schema": e.messages}
    return error_response(422, "VALIDATION_ERROR", "Validation failed", messages)


def _http(e: HTTPException) -> Response:
    status = e.code or 500
    headers: dict[str, str] = {}
    valid_methods = getattr(e, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    if status == 429:
        item = getattr(getattr(e, "limit", None), "limit", None)
        headers["Retry-After"] = str(item.get_expiry() if item is not None else 60)
        return error_response(429, "RATE_LIMITED", "Too many requests, slow down", {}, headers)
    message = str(e.description or "") if status < 500 else "Internal server error"
    return error_response(status, HTTP_CODES.get(status, "HTTP_ERROR"), message, {}, headers)


def _jwt(e: Exception) -> Response:
    if isinstance(e, CSRFError):
        return error_response(403, "CSRF_FAILED", "Missing or invalid CSRF token", {})
    return error_response(401, "UNAUTHORIZED", "Not authenticated", {})


def _rollback() -> None:
    """A failed flush leaves the session needing a rollback: nothing after the error (the
    request-finishing hooks, the idempotency record) may trip over it."""
    from reqflow.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the envelope still goes out
        log.exception("rollback after an error failed")


def _stale(_: StaleDataError | PendingRollbackError) -> Response:
    from reqflow.core.versioning import stale_details
    from reqflow.extensions import db

    _rollback()
    try:
        details = stale_details(db.session())
    except Exception:
        log.exception("reading the current version failed")
        details = {}
    return error_response(409, "STALE_VERSION", "The record was changed by someone else", details)


LOCK_MESSAGES = ("database is locked", "deadlock detected", "could not serialize")


def _integrity(e: IntegrityError) -> Response:
    # Inputs are validated before the write: a constraint that still fails lost a race.
    log.warning("integrity error answered 409: %s", e.orig)
    _rollback()
    return error_response(
        409, "CONFLICT", "The request conflicts with a concurrent change; reload and retry", {}
    )


def _operational(e: OperationalError) -> Response:
    _rollback()
    if any(text in str(e.orig) for text in LOCK_MESSAGES):
        return error_response(
            409, "CONFLICT", "The record is busy; retry", {}, {"Retry-After": "1"}
        )
    log.exception("database unavailable", exc_info=e)
    return error_response(503, "UNAVAILABLE", "The database is unavailable", {})


def _out_of_range(e: DataError | OverflowError) -> Response:
    log.warning("out-of-range value answered 422: %s", e)
    _rollback()
    return error_response(
        422, "VALIDATION_ERROR", "Validation failed", {"_schema": ["A value is out of range."]}
    )


def _discard_failed_transaction() -> None:
    # The log line below reads the request's user: a failed flush must be rolled back first.
    from reqflow.core.hardening import discard_failed_transaction

    discard_failed_transaction()


def _unexpected(e: Exception) -> Response:
    _discard_failed_transaction()
    log.exception("unhandled error", exc_info=e)
    _rollback()
    return error_response(500, "INTERNAL_ERROR", "Internal server error", {})


def register_error_handlers(app: Flask) -> None:
    """One place turns every exception into the error envelope."""
    app.register_error_handler(DomainError, _domain)
    app.register_error_handler(ValidationError, _validation)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(JWTExtendedException, _jwt)
    app.register_error_handler(CSRFError, _jwt)
    app.register_error_handler(PyJWTError, _jwt)
    app.register_error_handler(StaleDataError, _stale)
    app.register_error_handler(PendingRollbackError, _stale)
    app.register_error_handler(IntegrityError, _integrity)
    app.register_error_handler(OperationalError, _operational)
    app.register_error_handler(DataError, _out_of_range)
    app.register_error_handler(OverflowError, _out_of_range)
    app.register_error_handler(Exception, _unexpected)
