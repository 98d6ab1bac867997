"""Where an import's file lives from upload to error report: the documents storage interface
(the filesystem under the upload folder, or S3) under its own folder or prefix, so another
app node or the worker reads it, and the attachments' orphan sweep never sees it.

Nothing here holds a file in memory: an upload is copied to a local temporary file while its
size is counted and its sha256 computed, and a job reading the stored file copies it back to
a local temporary file (seekable, as XLSX needs), checking the sha256 on the way.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

from reqflow.documents.storage import FileSystemStorage, S3Storage, Storage, new_key, s3_from_config
from reqflow.errors import Conflict
from reqflow.imports.reader import FileTooLarge

CHUNK = 64 * 1024
GONE = "The file of this import is no longer stored: upload it again."


def storage() -> Storage:
    app = current_app
    found = app.extensions.get("reqflow_import_storage")
    if found is None:
        if app.config.get("STORAGE_BACKEND") == "s3":
            client = s3_from_config(app.config).client
            found = S3Storage(client, app.config["S3_BUCKET"], prefix="imports/")
        else:
            found = FileSystemStorage(Path(app.config["UPLOAD_FOLDER"]) / "imports")
        app.extensions["reqflow_import_storage"] = found
    return found  # type: ignore[no-any-return]


@dataclass
class Spooled:
    file: IO[bytes]
    sha256: str
    size: int
    head: bytes


def spool(stream: IO[bytes], limit: int) -> Spooled:
    """``stream`` copied to a local temporary file (rewound); past ``limit`` bytes a 413."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller
    digest, size = hashlib.sha256(), 0
    try:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise FileTooLarge(f"The file is larger than {limit} bytes.")
            digest.update(chunk)
            out.write(chunk)
        out.seek(0)
        head = out.read(4096)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return Spooled(out, digest.hexdigest(), size, head)


def keep(file: IO[bytes]) -> str:
    """Store the file under a new random key; the file is rewound after."""
    key = new_key()
    storage().put(key, file)
    file.seek(0)
    return key


@contextmanager
def local(key: str | None, sha256: str) -> Iterator[IO[bytes]]:
    """The stored file as a local temporary file, proven to be the file that was previewed."""
    if key is None:
        raise Conflict(GONE)
    try:
        opened = storage().open(key)
    except FileNotFoundError:  # swept while its row was being read
        raise Conflict(GONE) from None
    with closing(opened) as source:
        spooled = spool(source, sys.maxsize)
    with closing(spooled.file):
        if spooled.sha256 != sha256:
            raise Conflict("The stored file does not match the previewed one.")
        yield spooled.file
