"""Where export files live: a directory under the instance folder (``EXPORTS_DIR``).

Every file access goes through these four functions, so an object store can take the
directory's place by changing this module only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from flask import current_app


def _root() -> Path:
    root = Path(current_app.config["EXPORTS_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def _path(key: str) -> Path:
    if "/" in key or "\\" in key or key.startswith("."):
        raise ValueError(f"not a file key: {key!r}")
    return _root() / key


def writable(key: str) -> str:
    """A local path to write the file to (the caller then calls ``publish``)."""
    return str(_path(key + ".part"))


def publish(key: str) -> int:
    """Make the written file downloadable under ``key``; returns its size in bytes."""
    os.replace(_path(key + ".part"), _path(key))
    return _path(key).stat().st_size


def open_for_download(key: str) -> IO[bytes] | None:
    """The file's bytes, or None when it is gone."""
    try:
        return open(_path(key), "rb")  # noqa: SIM115 - closed by the response
    except FileNotFoundError:
        return None


def delete(key: str) -> None:
    for name in (key, key + ".part"):
        _path(name).unlink(missing_ok=True)
