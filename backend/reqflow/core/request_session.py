"""The app's ORM session class: work that must follow a commit, run once ``commit()`` has
returned — when the session can read again — instead of inside SQLAlchemy's ``after_commit``
event, where it cannot emit SQL (issue 17: live pushes read their audience, and waiting for
the end of the request put the answer's serialisation and the Celery hand-over between the
commit and the push)."""

from __future__ import annotations

from collections.abc import Callable

from flask_sqlalchemy.session import Session as FlaskSession

PostCommit = Callable[["Session"], None]
POST_COMMIT: list[PostCommit] = []


def post_commit(fn: PostCommit) -> PostCommit:
    """Register ``fn(session)`` to run after every successful commit of an app session."""
    if fn not in POST_COMMIT:
        POST_COMMIT.append(fn)
    return fn


class Session(FlaskSession):
    def commit(self) -> None:
        super().commit()
        for fn in POST_COMMIT:
            fn(self)
