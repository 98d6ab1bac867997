"""Side keys a kind tracks while an import is scanned (the users' e-mails and usernames),
kept in ``import_row_keys`` beside the natural keys so that a scan's memory does not grow
with the file. A side key is stored as the sha256 of its space and value, which never equals
a natural key's digest (that is the sha256 of the key alone)."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select

from reqflow.extensions import db
from reqflow.imports.models import ImportRowKey


def digest(space: str, value: str) -> str:
    return hashlib.sha256(f"{space}\x1e{value}".encode()).hexdigest()


class SideKeys:
    """Per chunk: ``load`` the rows of earlier chunks that had the chunk's side keys (every key
    the chunk will ``note`` must be loaded), ``seen`` and ``note`` while the chunk's rows are
    planned, ``flush`` the new ones at its end."""

    def __init__(self, import_id: int):
        self.import_id = import_id
        self.known: dict[str, int] = {}  # digest → first row, for this chunk's side keys
        self.new: dict[str, int] = {}

    def load(self, wanted: set[tuple[str, str]]) -> None:
        digests = {digest(space, value) for space, value in wanted}
        self.known, self.new = {}, {}
        if digests:
            stmt = select(ImportRowKey.digest, ImportRowKey.row).where(
                ImportRowKey.import_id == self.import_id, ImportRowKey.digest.in_(digests)
            )
            self.known = dict(db.session.execute(stmt).tuples().all())

    def seen(self, space: str, value: str) -> int | None:
        """The row that first had this side key (in an earlier chunk or earlier in this one)."""
        return self.known.get(digest(space, value))

    def note(self, space: str, value: str, row: int) -> None:
        key = digest(space, value)
        if key not in self.known:
            self.known[key] = self.new[key] = row

    def flush(self) -> None:
        if self.new:
            rows = [
                {"import_id": self.import_id, "digest": d, "row": n} for d, n in self.new.items()
            ]
            db.session.execute(insert(ImportRowKey), rows)
            self.new = {}
