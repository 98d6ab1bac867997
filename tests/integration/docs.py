"""Helpers for attachment and comment tests: sample files and uploads."""

from __future__ import annotations

import hashlib
import io

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"0123456789abcdef" * 4096 + b"\n%%EOF\n"


def png(size: tuple[int, int] = (640, 480)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload(client, headers, path: str, data: bytes, name: str = "quote.pdf", **kw):
    return client.post(
        f"/api/v1{path}",
        data={"file": (io.BytesIO(data), name, kw.pop("content_type", "application/pdf"))},
        content_type="multipart/form-data",
        headers=headers,
        **kw,
    )
