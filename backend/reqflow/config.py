"""Configuration read from the environment; the embedded default needs none.

This is the only module that reads ``os.environ``. ``load_config`` merges, in order:
built-in defaults, environment variables, and explicit overrides passed to ``create_app``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str | None, default: list[str]) -> list[str]:
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def _instance_secret(instance_dir: Path, name: str) -> str:
    """A random key kept under instance/ so the embedded default survives restarts."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings named in .env.example, read from ``env``."""
    instance_dir = Path(env.get("INSTANCE_DIR") or REPO_ROOT / "instance")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'reqflow.db'}"
    redis_url = env.get("REDIS_URL") or None
    return {
        "INSTANCE_DIR": str(instance_dir),
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "JWT_SECRET_KEY": env.get("JWT_SECRET_KEY") or None,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": env.get("CELERY_BROKER_URL") or redis_url,
        "CORS_ORIGINS": _list(
            env.get("CORS_ORIGINS"),
            ["http://127.0.0.1:5000", "http://localhost:5000", "http://localhost:5173"],
        ),
        "TRUSTED_PROXIES": _list(env.get("TRUSTED_PROXIES"), []),
        "COOKIE_SECURE": _bool(env.get("COOKIE_SECURE"), False),
        "SMTP_HOST": env.get("SMTP_HOST") or None,
        "SMTP_PORT": int(env.get("SMTP_PORT") or 25),
        "SMTP_USERNAME": env.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_USE_TLS": _bool(env.get("SMTP_USE_TLS"), False),
        "MAIL_FROM": env.get("MAIL_FROM") or "ReqFlow <noreply@reqflow.local>",
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(instance_dir / "uploads"),
        "BASE_CURRENCY": env.get("BASE_CURRENCY") or "USD",
        "LOG_LEVEL": env.get("LOG_LEVEL") or "INFO",
        # One access line per request: the app's own (reqflow.access), unless a server that
        # logs every request itself says so (gunicorn's configs set APP_ACCESS_LOG=0).
        "APP_ACCESS_LOG": _bool(env.get("APP_ACCESS_LOG"), True),
        "APP_BASE_URL": env.get("APP_BASE_URL") or "http://127.0.0.1:5000",
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT") or "10 per minute",
        # Per process: sum over all processes of (pool + overflow) must fit max_connections.
        "DB_POOL_SIZE": int(env.get("DB_POOL_SIZE") or 5),
        "DB_MAX_OVERFLOW": int(env.get("DB_MAX_OVERFLOW") or 5),
        "BCRYPT_ROUNDS": int(env.get("BCRYPT_ROUNDS") or 12),
        "FRONTEND_DIST": env.get("FRONTEND_DIST") or str(REPO_ROOT / "frontend" / "dist"),
        "MIGRATIONS_DIR": env.get("MIGRATIONS_DIR") or str(REPO_ROOT / "migrations"),
        "REDIS_NAMESPACE": env.get("REDIS_NAMESPACE") or None,
        "SOCKETIO_ASYNC_MODE": env.get("SOCKETIO_ASYNC_MODE") or "threading",
        "EVENT_DISPATCH": env.get("EVENT_DISPATCH") or "sync",
        "JOBS_BACKEND": env.get("JOBS_BACKEND") or None,
        "APPROVAL_DUE_BUSINESS_DAYS": int(env.get("APPROVAL_DUE_BUSINESS_DAYS") or 2),
        "EMAIL_DIGEST_MINUTES": float(env.get("EMAIL_DIGEST_MINUTES") or 15),
        # Set by gunicorn.conf.py when one gunicorn runs several workers (shared /metrics).
        "PROMETHEUS_MULTIPROC_DIR": env.get("PROMETHEUS_MULTIPROC_DIR") or None,
        # List exports: files of background exports (shared by web and workers), kept this
        # many hours; a list up to EXPORT_STREAM_LIMIT rows streams in the response.
        "EXPORTS_DIR": env.get("EXPORTS_DIR") or str(instance_dir / "exports"),
        "EXPORT_TTL_HOURS": float(env.get("EXPORT_TTL_HOURS") or 24),
        "EXPORT_STREAM_LIMIT": int(env.get("EXPORT_STREAM_LIMIT") or 5000),
        # Bulk imports (CSV/XLSX): upload size (413 beyond), XLSX uncompressed size, data rows,
        # rows above which dry run and commit run as a background job, rows per batch.
        "IMPORT_MAX_BYTES": int(env.get("IMPORT_MAX_BYTES") or 20 * 1024 * 1024),
        "IMPORT_MAX_UNCOMPRESSED_BYTES": int(
            env.get("IMPORT_MAX_UNCOMPRESSED_BYTES") or 200 * 1024 * 1024
        ),
        "IMPORT_MAX_ROWS": int(env.get("IMPORT_MAX_ROWS") or 200_000),
        "IMPORT_BACKGROUND_ROWS": int(env.get("IMPORT_BACKGROUND_ROWS") or 500),
        "IMPORT_CHUNK_ROWS": int(env.get("IMPORT_CHUNK_ROWS") or 500),
        # Days an import's stored file is kept after the import was last touched.
        "IMPORT_FILE_RETENTION_DAYS": float(env.get("IMPORT_FILE_RETENTION_DAYS") or 7),
        # How long an invitation's set-password link works.
        "INVITATION_HOURS": float(env.get("INVITATION_HOURS") or 72),
        # TOTP MFA: the roles that must enrol (set but empty: nobody must), the key that
        # encrypts the secrets at rest (derived from SECRET_KEY when unset).
        "MFA_REQUIRED_ROLES": _mfa_roles(env.get("MFA_REQUIRED_ROLES")),
        "MFA_ENCRYPTION_KEY": env.get("MFA_ENCRYPTION_KEY") or None,
        "MFA_CHALLENGE_SECONDS": int(env.get("MFA_CHALLENGE_SECONDS") or 300),
        "MFA_ISSUER": env.get("MFA_ISSUER") or "ReqFlow",
        # Attachments: size limit, where the bytes live (filesystem | s3), orphan sweep age.
        "ATTACHMENT_MAX_BYTES": int(env.get("ATTACHMENT_MAX_BYTES") or 20 * 1024 * 1024),
        "ATTACHMENT_ORPHAN_HOURS": float(env.get("ATTACHMENT_ORPHAN_HOURS") or 6),
        "STORAGE_BACKEND": env.get("STORAGE_BACKEND") or "filesystem",
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL") or None,
        "S3_BUCKET": env.get("S3_BUCKET") or "reqflow",
        "S3_REGION": env.get("S3_REGION") or "us-east-1",
        "S3_ACCESS_KEY_ID": env.get("S3_ACCESS_KEY_ID") or None,
        "S3_SECRET_ACCESS_KEY": env.get("S3_SECRET_ACCESS_KEY") or None,
    }


MFA_DEFAULT_ROLES = ["Admin", "ProcurementMgr", "Accountant"]


def _mfa_roles(value: str | None) -> list[str]:
    """Unset: the roles that move money or rights; set (even empty): exactly the list."""
    if value is None:
        return list(MFA_DEFAULT_ROLES)
    return [part.strip() for part in value.split(",") if part.strip()]


DEFAULTS: dict[str, Any] = {
    "PROPAGATE_EXCEPTIONS": True,  # Flask-RESTful + JWT: token errors must reach our handlers
    "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
    "JSON_SORT_KEYS": False,
    "JWT_ALGORITHM": "HS256",
    "JWT_DECODE_ALGORITHMS": ["HS256"],
    "JWT_ENCODE_ISSUER": "erp-system",
    "JWT_DECODE_ISSUER": "erp-system",
    "JWT_ENCODE_AUDIENCE": "erp-users",
    "JWT_DECODE_AUDIENCE": "erp-users",
    "JWT_ACCESS_TOKEN_EXPIRES": timedelta(hours=1),
    "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=30),
    "JWT_TOKEN_LOCATION": ["headers", "cookies"],
    "JWT_COOKIE_SAMESITE": "Lax",
    "JWT_COOKIE_CSRF_PROTECT": True,
    "JWT_CSRF_IN_COOKIES": True,
    "JWT_ACCESS_COOKIE_PATH": "/",
    "JWT_REFRESH_COOKIE_PATH": "/api/v1/auth",
    "JWT_REFRESH_CSRF_COOKIE_PATH": "/",
    "JWT_SESSION_COOKIE": False,
    "LOCKOUT_THRESHOLD": 5,
    "LOCKOUT_MINUTES": 15,
    "PASSWORD_HISTORY": 5,
    "RATELIMIT_HEADERS_ENABLED": True,
    "IDEMPOTENCY_TTL_HOURS": 24,
}


def redis_namespace(database_url: str) -> str:
    """Where REDIS_NAMESPACE is not set: the database's name (``reqflow`` for
    ``…/reqflow`` or ``instance/reqflow.db``). Installations sharing one Redis thus keep
    their keys and Socket.IO channel apart (pub/sub ignores the Redis database number)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    name = url.database or ""
    if url.get_backend_name() == "sqlite":
        name = Path(name).stem
    return name or "reqflow"


def load_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then explicit overrides."""
    settings = dict(DEFAULTS)
    settings.update(from_environment(os.environ))
    settings.update(overrides or {})
    instance_dir = Path(settings["INSTANCE_DIR"])
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = _instance_secret(instance_dir, "secret_key")
    if not settings.get("JWT_SECRET_KEY"):
        settings["JWT_SECRET_KEY"] = _instance_secret(instance_dir, "jwt_secret_key")
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    if not settings.get("REDIS_NAMESPACE"):
        settings["REDIS_NAMESPACE"] = redis_namespace(settings["DATABASE_URL"])
    settings["JWT_COOKIE_SECURE"] = settings["COOKIE_SECURE"]
    settings["RATELIMIT_STORAGE_URI"] = settings.get("REDIS_URL") or "memory://"
    settings.setdefault("RATELIMIT_KEY_PREFIX", settings["REDIS_NAMESPACE"])
    if settings["DATABASE_URL"].startswith("postgresql"):
        settings.setdefault(
            "SQLALCHEMY_ENGINE_OPTIONS",
            {
                "pool_size": settings["DB_POOL_SIZE"],
                "max_overflow": settings["DB_MAX_OVERFLOW"],
                # No ping per checkout: core.pool pings connections idle for a while.
                "pool_pre_ping": False,
            },
        )
    else:
        Path(instance_dir).mkdir(parents=True, exist_ok=True)
        settings.setdefault(
            "SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"check_same_thread": False}}
        )
    return settings
