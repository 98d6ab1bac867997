"""ReqFlow: procure-to-pay ERP. ``create_app(config)`` builds and binds everything."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson
from flask import Blueprint, Flask, Request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_limiter import Limiter
from werkzeug.sansio.response import Response as BaseResponse

from reqflow.config import load_config
from reqflow.core.lean_hooks import LeanFlask, lean_hooks
from reqflow.extensions import cors, db, jwt, limiter, migrate

API_PREFIX = "/api/v1"


class JSONProvider(DefaultJSONProvider):
    """Decimals stay exact (strings); datetimes are ISO-8601. Compact answers (all but
    debug's indented ones) are written by orjson: the same JSON, with non-ASCII characters
    as UTF-8 rather than ``\\u`` escapes, several times faster than ``json`` (issue 17)."""

    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        if hasattr(o, "isoformat"):
            return o.isoformat()
        return DefaultJSONProvider.default(o)

    def _compact(self) -> bool:
        return not ((self.compact is None and self._app.debug) or self.compact is False)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if set(kwargs) <= {"separators"} and self._compact():
            try:
                return orjson.dumps(obj, default=self.default, option=_ORJSON).decode()
            except TypeError:  # what orjson refuses (a lone surrogate, a huge int): json
                pass
        return super().dumps(obj, **kwargs)

    def response(self, *args: Any, **kwargs: Any) -> BaseResponse:
        if not self._compact():
            return super().response(*args, **kwargs)
        try:
            body = orjson.dumps(
                self._prepare_response_obj(args, kwargs),
                default=self.default,
                option=_ORJSON | orjson.OPT_APPEND_NEWLINE,
            )
        except TypeError:  # as in dumps
            return super().response(*args, **kwargs)
        make: Any = self._app.response_class  # flask.Response, which takes bytes
        return make(body, mimetype=self.mimetype)  # type: ignore[no-any-return]


_ORJSON = orjson.OPT_NON_STR_KEYS


def _sqlite_engine(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
            from reqflow.core.pool import ping_idle_connections

            with app.app_context():
                ping_idle_connections(db.engine)
        return
    from reqflow.core.sqlite import configure_sqlite

    with app.app_context():
        configure_sqlite(db.engine)


def _limit_decorated_routes_only(app: Flask) -> None:
    """Flask-Limiter checks every request in a ``before_request`` hook, for default and
    blueprint limits; ReqFlow has neither. Its limits are on the sign-in routes, whose
    decorators check them when those views run, so the hook is dropped (issue 17: ~5 % of
    every request). The after-request hook that writes the X-RateLimit headers stays."""
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [
        hook
        for hook in hooks
        if not (
            getattr(hook, "__self__", None) is limiter
            and getattr(hook, "__func__", None) is Limiter._check_request_limit
        )
    ]


class CookielessSessionInterface(SecureCookieSessionInterface):
    """No Flask cookie session is kept (tokens live in their own cookies): a request without
    the session cookie gets an empty session without building a signing serializer."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        name = self.get_cookie_name(app)
        # A substring test of the raw header first: most requests carry no session cookie,
        # and parsing every cookie to learn that costs more than the rest of this hook.
        if name not in request.environ.get("HTTP_COOKIE", "") or name not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def _register_blueprints(app: Flask) -> None:
    from reqflow.accounting.resources import bp as accounting_bp
    from reqflow.approvals.resources import bp as approvals_bp
    from reqflow.audit.resources import bp as audit_bp
    from reqflow.catalog.resources import bp as catalog_bp
    from reqflow.core.health import bp as health_bp
    from reqflow.core.openapi import docs
    from reqflow.core.spa import bp as spa_bp
    from reqflow.documents.resources import bp as documents_bp
    from reqflow.exports.resources import bp as exports_bp
    from reqflow.identity.mfa_resources import bp as mfa_bp
    from reqflow.identity.resources import bp as identity_bp
    from reqflow.imports.resources import bp as imports_bp
    from reqflow.inbox.resources import bp as inbox_bp
    from reqflow.inventory.resources import bp as inventory_bp
    from reqflow.notifications.resources import bp as notifications_bp
    from reqflow.projects.resources import bp as projects_bp
    from reqflow.purchasing.resources import bp as purchasing_bp
    from reqflow.reporting.resources import bp as reporting_bp
    from reqflow.requisitions.resources import bp as requisitions_bp

    blueprints: tuple[Blueprint, ...] = (
        identity_bp,
        audit_bp,
        catalog_bp,
        projects_bp,
        approvals_bp,
        requisitions_bp,
        purchasing_bp,
        inventory_bp,
        accounting_bp,
        notifications_bp,
        reporting_bp,
        exports_bp,
        inbox_bp,
        imports_bp,
        mfa_bp,
        documents_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp, url_prefix=API_PREFIX)
    app.register_blueprint(health_bp)
    app.register_blueprint(docs)
    app.register_blueprint(spa_bp)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from defaults, the environment, and ``config`` overrides."""
    from reqflow import events
    from reqflow.accounting import tasks as _accounting_tasks  # noqa: F401 - jobs
    from reqflow.approvals import tasks as _approval_tasks  # noqa: F401 - jobs
    from reqflow.audit import service as _audit  # noqa: F401 - registers the audit hook
    from reqflow.codes import register_codes_cli
    from reqflow.core import idempotency as _idem  # noqa: F401 - model
    from reqflow.core import numbering as _numbering  # noqa: F401 - model
    from reqflow.core.cache import init_cache
    from reqflow.core.hardening import init_hardening
    from reqflow.core.jobs import init_jobs
    from reqflow.core.limits import RowIdConverter, init_limits
    from reqflow.core.observability import configure_logging, init_observability
    from reqflow.core.redis import init_redis
    from reqflow.core.versioning import init_versioning
    from reqflow.errors import register_error_handlers
    from reqflow.exports import tasks as _export_jobs  # noqa: F401 - jobs
    from reqflow.identity import jwt_setup as _jwt_setup  # noqa: F401 - JWT callbacks
    from reqflow.identity.cli import register_cli
    from reqflow.identity.throttle import init_throttle
    from reqflow.identity.tokens import init_token_store
    from reqflow.imports import service as _imports  # noqa: F401 - jobs
    from reqflow.imports.demo import register_demo_cli
    from reqflow.inventory import lowstock as _inventory_jobs  # noqa: F401 - jobs
    from reqflow.notifications import accounting_handlers as _acc_notify  # noqa: F401
    from reqflow.notifications import email as _email  # noqa: F401 - jobs
    from reqflow.notifications import export_handlers as _export_notify  # noqa: F401
    from reqflow.notifications import handlers as _handlers  # noqa: F401 - event handlers
    from reqflow.notifications import inventory_handlers as _inv_notify  # noqa: F401
    from reqflow.notifications import purchasing_handlers as _po_notify  # noqa: F401
    from reqflow.notifications import realtime as _realtime  # noqa: F401 - Socket.IO events
    from reqflow.notifications import sessions as _sessions  # noqa: F401 - sockets end on logout
    from reqflow.notifications import supplier_email as _supplier_email  # noqa: F401
    from reqflow.purchasing import handlers as _purchasing_handlers  # noqa: F401
    from reqflow.reporting import monthly as _monthly_report  # noqa: F401 - jobs

    app = LeanFlask(__name__, static_folder=None)
    app.url_map.converters["int"] = RowIdConverter
    app.config.from_mapping(load_config(config))
    app.json = JSONProvider(app)
    configure_logging(app.config["LOG_LEVEL"])

    db.init_app(app)
    _sqlite_engine(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])
    jwt.init_app(app)
    cors.init_app(
        app,
        origins=app.config["CORS_ORIGINS"],
        supports_credentials=True,
        expose_headers=["X-Total-Count", "X-Page-Count", "X-Request-ID", "Retry-After"],
    )
    limiter.init_app(app)
    _limit_decorated_routes_only(app)
    lean_hooks(app, limiter)
    app.session_interface = CookielessSessionInterface()
    _realtime.init_socketio(app)
    init_jobs(app)
    init_redis(app)
    init_cache(app)
    init_token_store(app)
    init_throttle(app)
    events.init_events(app)
    init_versioning()
    init_limits()
    init_observability(app)
    init_hardening(app, API_PREFIX)
    register_error_handlers(app)
    _register_blueprints(app)
    from reqflow.reporting.metrics import init_business_metrics

    init_business_metrics(app)
    register_cli(app)
    register_demo_cli(app)
    register_codes_cli(app)
    _init_documents(app)
    return app


def _init_documents(app: Flask) -> None:
    """Attachments and comments: their storage, jobs, event handlers and live rooms."""
    from reqflow.documents import handlers as _doc_handlers  # noqa: F401 - event handlers
    from reqflow.documents import tasks as _doc_tasks  # noqa: F401 - jobs
    from reqflow.documents.storage import init_storage
    from reqflow.notifications.document_handlers import init_document_rooms

    init_storage(app)
    init_document_rooms(app)
