"""Streaming an upload into storage: the type is sniffed from the first bytes, the size is
counted and the SHA-256 computed while the bytes flow, so no upload is ever held whole in
memory; images get a small PNG thumbnail."""

from __future__ import annotations

import hashlib
import io
import logging
import unicodedata
from dataclasses import dataclass
from typing import IO

from reqflow.documents import sniffing
from reqflow.documents.storage import Storage, new_key
from reqflow.errors import DomainError

log = logging.getLogger(__name__)
THUMB_SIZE = (240, 240)


class PayloadTooLarge(DomainError):
    status, code = 413, "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(DomainError):
    status, code = 415, "UNSUPPORTED_MEDIA_TYPE"


@dataclass
class StoredBlob:
    storage_key: str
    content_type: str
    size: int
    sha256: str
    filename: str
    thumbnail_key: str | None = None


class _Counting(io.RawIOBase):
    """Reads ``head`` then the rest of ``stream``, hashing and counting; past ``limit``
    bytes it refuses with 413."""

    def __init__(self, head: bytes, stream: IO[bytes], limit: int):
        self.head, self.stream, self.limit = head, stream, limit
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.head:
            data, self.head = self.head[: len(buffer)], self.head[len(buffer) :]
        else:
            data = self.stream.read(len(buffer))
        if not data:
            return 0
        self.size += len(data)
        if self.size > self.limit:
            raise PayloadTooLarge(f"The file is larger than {self.limit // (1024 * 1024)} MB")
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def clean_filename(name: str | None) -> str:
    """A display name only (never a path): the last path segment, printable, at most 255."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return name[-255:] or "file"


def store(storage: Storage, stream: IO[bytes], filename: str | None, limit: int) -> StoredBlob:
    """Sniff, stream into storage under a random key, hash; 415/413 refuse the upload."""
    head = stream.read(sniffing.HEAD)
    content_type = sniffing.sniff(head)
    if content_type is None:
        raise UnsupportedMediaType(
            "This type of file is not accepted (pdf, doc, docx, xls, xlsx, csv, png, jpg, txt, eml)"
        )
    reader = _Counting(head, stream, limit)
    key = new_key()
    try:
        storage.put(key, io.BufferedReader(reader, 64 * 1024))
    except PayloadTooLarge:
        storage.delete(key)
        raise
    if reader.size == 0:
        raise UnsupportedMediaType("The file is empty")
    blob = StoredBlob(key, content_type, reader.size, reader.digest.hexdigest(), "")
    blob.filename = clean_filename(filename)
    if content_type in sniffing.IMAGES:
        blob.thumbnail_key = thumbnail(storage, key)
    return blob


def thumbnail(storage: Storage, key: str) -> str | None:
    """A PNG thumbnail beside the blob, or None when the image cannot be decoded."""
    from PIL import Image

    thumb_key = key + ".thumb"
    try:
        with storage.open(key) as source, Image.open(source) as image:
            image.thumbnail(THUMB_SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG")
    except Exception:  # a corrupt or hostile image simply gets no thumbnail
        log.warning("no thumbnail for blob", extra={"key": key})
        return None
    out.seek(0)
    storage.put(thumb_key, out)
    return thumb_key
