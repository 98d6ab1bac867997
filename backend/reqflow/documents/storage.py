"""Where attachment bytes live, behind one small interface: the local filesystem under the
instance folder (the embedded default) or an S3-compatible object store (several app nodes).

Keys are chosen by the server (random hex, see ``new_key``): a client's file name never
becomes a path or an object name.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from flask import Flask, current_app

CHUNK = 64 * 1024
KEY_RE = re.compile(r"[0-9a-f]{40}(\.thumb)?")


def new_key() -> str:
    return secrets.token_hex(20)


class Storage(Protocol):
    def put(self, key: str, stream: IO[bytes]) -> None: ...
    def open(self, key: str) -> IO[bytes]: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def keys(self) -> Iterator[tuple[str, datetime]]: ...


class FileSystemStorage:
    """Blobs as files under ``root``, spread over two-character folders."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not KEY_RE.fullmatch(key):
            raise ValueError("bad storage key")
        return self.root / key[:2] / key

    def put(self, key: str, stream: IO[bytes]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> IO[bytes]:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/*"):
            if path.is_file() and not path.name.startswith("."):
                yield path.name, datetime.fromtimestamp(path.stat().st_mtime, UTC)


class S3Storage:
    """Blobs as objects in one bucket of an S3-compatible store (AWS S3, MinIO, ...)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "attachments/"):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def put(self, key: str, stream: IO[bytes]) -> None:
        # upload_fileobj reads the stream in parts (multipart past 8 MB): never all at once.
        self.client.upload_fileobj(stream, self.bucket, self.prefix + key)

    def open(self, key: str) -> IO[bytes]:
        return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]  # type: ignore[no-any-return]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError:
            return False
        return True

    def keys(self) -> Iterator[tuple[str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for obj in page.get("Contents", []):
                yield obj["Key"][len(self.prefix) :], obj["LastModified"]


def s3_from_config(config: Any) -> S3Storage:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or "us-east-1",
        aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
    )
    return S3Storage(client, config["S3_BUCKET"])


def init_storage(app: Flask) -> None:
    if app.config.get("STORAGE_BACKEND") == "s3":
        app.extensions["reqflow_storage"] = s3_from_config(app.config)
    else:
        app.extensions["reqflow_storage"] = FileSystemStorage(
            Path(app.config["UPLOAD_FOLDER"]) / "attachments"
        )


def get_storage() -> Storage:
    return current_app.extensions["reqflow_storage"]  # type: ignore[no-any-return]
