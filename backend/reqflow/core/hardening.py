"""Per-request hygiene that no endpoint should have to remember (SPEC §3).

- A query string carrying a NUL byte is refused before any handler sees it (422).
- A session whose transaction failed (a flush PostgreSQL refused) is rolled back before
  the request-finishing hooks run: they read the user for logs and metrics, and a read
  from such a session raises, which gunicorn would answer with its HTML page.
- Every API answer carries ``Cache-Control: no-store``: tokens, profiles, invoices and
  every other authenticated payload must not be kept by a browser or a shared cache.
"""

from __future__ import annotations

from flask import Flask, Response, request

from reqflow.core.schemas import reject_unsafe_args
from reqflow.extensions import db


def discard_failed_transaction() -> None:
    """Roll back a session left inactive by a failed flush, so it can be read again."""
    if not db.session.registry.has():  # the request never used the database
        return
    session = db.session()
    if session.in_transaction() and not session.is_active:
        session.rollback()


def init_hardening(app: Flask, api_prefix: str) -> None:
    """Register after the observability hooks: ``after_request`` runs newest first."""

    @app.before_request
    def _refuse_unsafe_args() -> None:
        reject_unsafe_args()

    @app.after_request
    def _harden(response: Response) -> Response:
        discard_failed_transaction()
        if request.path.startswith(api_prefix):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
