"""Committing without re-reading: a writer that answers with what it just wrote."""

from __future__ import annotations

from reqflow.extensions import db


def commit_keeping_loaded() -> None:
    """Commit the request's transaction and keep the loaded objects as they are, instead of
    expiring them (which makes the answer re-read every row and collection after the commit).

    Only for a use case that locked the rows it answers with (no one else changed them
    meanwhile) and whose columns are all set from Python (client-side defaults, the version
    counter): after the flush the objects hold what the database holds."""
    session = db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous
