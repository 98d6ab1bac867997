"""Per-request hooks that cost only when they have something to do (issue 17).

Every request runs each registered hook, and the extensions' hooks do their work whether or
not the request concerns them; measured in process on ``GET /health`` they were half of
ReqFlow's cost over the bare Flask floor. Here each is wrapped to return at once when it
would change nothing — the answers are byte for byte what the unwrapped hooks give:

- Flask-CORS's after-request hook adds headers only for a request carrying an ``Origin``
  header (no ``Origin``: no CORS headers and no ``Vary``); without one it returns at once.
- Flask-Limiter's after-request hook (rate-limit headers, conditional deductions) and its
  teardown read the limiter's per-request context, which exists only once a limit was
  checked: only the sign-in routes have limits (``_limit_decorated_routes_only``).
- Flask asks ``inspect`` whether every hook and view is a coroutine, on every request:
  ``LeanFlask`` remembers the answer per function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, request
from flask.globals import request_ctx

LIMITER_CONTEXT = "_limiter_request_context"  # set by Flask-Limiter when it checks a limit


class LeanFlask(Flask):
    """Flask whose ``ensure_sync`` is computed once per function instead of per request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._sync[func]
        except KeyError:
            wrapped = super().ensure_sync(func)
            self._sync[func] = wrapped
            return wrapped
        except TypeError:  # an unhashable callable: ask every time, as Flask does
            return super().ensure_sync(func)


def _with_origin_only(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def cors_after_request(response: Any) -> Any:
        if "HTTP_ORIGIN" not in request.environ:
            return response
        return hook(response)

    return cors_after_request


def _after_a_limit_only(hook: Callable[..., Any]) -> Callable[..., Any]:
    def limiter_hook(*args: Any) -> Any:
        if not hasattr(request_ctx._get_current_object(), LIMITER_CONTEXT):  # type: ignore[attr-defined]
            return args[0] if args else None
        return hook(*args)

    limiter_hook.__name__ = getattr(hook, "__name__", "limiter_hook")
    return limiter_hook


def _is_limiter_hook(hook: Any, limiter: Any) -> bool:
    owner = getattr(hook, "__self__", None)
    if owner is None and getattr(hook, "args", None):  # functools.partial(fn, limiter)
        owner = hook.args[0]
    return owner is limiter


def lean_hooks(app: Flask, limiter: Any) -> None:
    """Wrap the CORS and limiter hooks registered on ``app`` (call after their init_app)."""
    after = app.after_request_funcs.get(None, [])
    for i, hook in enumerate(after):
        if getattr(hook, "__name__", "") == "cors_after_request":
            after[i] = _with_origin_only(hook)
        elif _is_limiter_hook(hook, limiter):
            after[i] = _after_a_limit_only(hook)
    teardown = app.teardown_request_funcs.get(None, [])
    for i, hook in enumerate(teardown):
        if _is_limiter_hook(hook, limiter):
            teardown[i] = _after_a_limit_only(hook)
