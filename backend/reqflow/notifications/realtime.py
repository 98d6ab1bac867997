"""Socket.IO: authenticated connections in ``user:<id>`` and ``role:<Role>`` rooms."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, request
from flask_jwt_extended import decode_token
from flask_socketio import SocketIO, join_room

from reqflow.core.redis import get_redis, key
from reqflow.extensions import db
from reqflow.identity.auth import token_user
from reqflow.identity.models import User

log = logging.getLogger(__name__)
_connections = {"count": 0}
_sid_users: dict[str, int] = {}  # this process's sockets: sid → user id


def _claims(auth: Any) -> dict[str, Any] | None:
    token = auth.get("token") if isinstance(auth, dict) else None
    token = token or request.cookies.get("access_token_cookie")
    if not token:
        return None
    try:
        claims = decode_token(token)
    except Exception:  # expired, tampered, wrong audience: all simply refused
        return None
    return claims if claims.get("type") == "access" else None


def _user(claims: dict[str, Any] | None) -> User | None:
    user = token_user(claims) if claims is not None else None
    return user if user is not None and user.is_active else None


def on_connect(auth: Any = None) -> bool:
    try:
        claims = _claims(auth)
        user = _user(claims)
        if user is None:
            return False
        sid = request.sid  # type: ignore[attr-defined]
        _track(user.id, sid)
        # A logout that committed between the check above and _track found no sid to
        # close: look at the token once more, now that the socket can be found.
        db.session.expire_all()
        if _user(claims) is None:
            _untrack(sid)
            return False
        join_room(f"user:{user.id}")
        join_room(f"role:{user.role}")
        _connections["count"] += 1
        return True
    finally:
        db.session.remove()


def on_disconnect(*_: Any) -> None:
    _untrack(request.sid)  # type: ignore[attr-defined]
    _connections["count"] = max(0, _connections["count"] - 1)


def _sockets_key(user_id: int) -> str:
    return key("sockets", "user", user_id)


def _track(user_id: int, sid: str) -> None:
    """Remember the socket under its user, for every process to find (Redis) or this one."""
    _sid_users[sid] = user_id
    client = get_redis()
    if client is not None:
        ttl = int(current_app.config["JWT_REFRESH_TOKEN_EXPIRES"].total_seconds())
        client.pipeline().sadd(_sockets_key(user_id), sid).expire(
            _sockets_key(user_id), ttl
        ).execute()


def _untrack(sid: str) -> None:
    user_id = _sid_users.pop(sid, None)
    client = get_redis()
    if user_id is not None and client is not None:
        client.srem(_sockets_key(user_id), sid)


def disconnect_user(user_id: int) -> int:
    """Close every open socket of the user, in every Socket.IO process: a disconnect by
    sid travels through the message queue to the process holding it. Returns how many."""
    server = _server().server
    sids = {sid for sid, _eio in server.manager.get_participants("/", f"user:{user_id}")}
    client = get_redis()
    if client is not None:
        sids |= set(client.smembers(_sockets_key(user_id)))
        client.delete(_sockets_key(user_id))
    for sid in sorted(sids):
        server.disconnect(sid, namespace="/")
    return len(sids)


def connection_count() -> int:
    return _connections["count"]


def origin_checker(allowed: Iterable[str]) -> Callable[..., bool]:
    """The handshake's Origin must be one of ``CORS_ORIGINS`` or the very origin the request
    was sent to (the SPA served by this app, whatever host name or port it was opened on).
    A page elsewhere is refused; never ``*``."""
    listed = {o.rstrip("/") for o in allowed}

    def check(origin: str | None, environ: dict[str, Any] | None = None) -> bool:
        if not origin:
            return False
        origin = origin.rstrip("/")
        if origin in listed:
            return True
        environ = environ or {}
        host = environ.get("HTTP_HOST")
        return bool(host) and origin == f"{environ.get('wsgi.url_scheme', 'http')}://{host}"

    return check


def init_socketio(app: Flask) -> SocketIO:
    """One Socket.IO server per app (Flask-SocketIO keeps it in app.extensions["socketio"]);
    with REDIS_URL the rooms are shared with every process through the message queue."""
    sio = SocketIO(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config.get("REDIS_URL"),
        # Pub/sub ignores Redis database numbers: a channel per installation keeps two
        # installations (or test runs) on one Redis from hearing each other.
        channel=f"{app.config['REDIS_NAMESPACE']}-socketio",
        cors_allowed_origins=origin_checker(app.config["CORS_ORIGINS"]),
        cors_credentials=True,
        logger=False,
        engineio_logger=False,
    )
    sio.on_event("connect", on_connect)
    sio.on_event("disconnect", on_disconnect)
    return sio


def _server() -> SocketIO:
    return current_app.extensions["socketio"]  # type: ignore[no-any-return]


def push_to_users(event: str, payload: dict[str, Any], user_ids: Iterable[int]) -> None:
    for user_id in sorted(set(user_ids)):
        _server().emit(event, payload, to=f"user:{user_id}")


def push_to_roles(event: str, payload: dict[str, Any], roles: Iterable[str]) -> None:
    for role in sorted(set(roles)):
        _server().emit(event, payload, to=f"role:{role}")


def push_to(
    event: str, payload: dict[str, Any], user_ids: Iterable[int], roles: Iterable[str]
) -> None:
    """One emit for every room of these users and roles: one message on the queue instead of
    one per room, and a client in several of the rooms gets the event once."""
    rooms = [f"user:{u}" for u in sorted(set(user_ids))] + [f"role:{r}" for r in sorted(set(roles))]
    if rooms:
        _server().emit(event, payload, to=rooms)
