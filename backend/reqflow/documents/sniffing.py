"""The type of an upload, decided from its first bytes (``filetype``), never from its name
or the client's Content-Type. Text formats carry no magic number: a small heuristic tells
e-mail, CSV and plain text apart once the bytes are known to be text."""

from __future__ import annotations

import re

import filetype

HEAD = 8192  # what filetype reads to recognise a type (zip-based Office files need it all)

BINARY_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/png": "png",
    "image/jpeg": "jpg",
}
TEXT_TYPES = {"text/csv": "csv", "text/plain": "txt", "message/rfc822": "eml"}
ALLOWED = {**BINARY_TYPES, **TEXT_TYPES}
IMAGES = {"image/png", "image/jpeg"}

_MAIL_HEADER = re.compile(
    rb"^(From|To|Subject|Date|Received|Return-Path|Message-ID|MIME-Version|Delivered-To):",
    re.IGNORECASE,
)


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the end of the head is still text
        if exc.start < len(head) - 3:
            return None
        text = head[: exc.start].decode("utf-8")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    return text if controls == 0 else None


def _is_mail(text: str) -> bool:
    """An RFC 5322 message starts with a header block of known fields (and continuations)."""
    block = text.replace("\r\n", "\n").split("\n\n", 1)[0].split("\n")[:40]
    known = [line for line in block if _MAIL_HEADER.match(line.encode())]
    headerish = all(re.match(r"^([!-9;-~]+:|[ \t])", line) for line in block if line)
    return len(known) >= 2 and headerish


def _text_type(text: str) -> str:
    if _is_mail(text):
        return "message/rfc822"
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if len(lines) >= 2:
        for sep in (",", ";", "\t"):
            counts = {line.count(sep) for line in lines[:-1]}
            if len(counts) == 1 and counts.pop() > 0:
                return "text/csv"
    return "text/plain"


def sniff(head: bytes) -> str | None:
    """The MIME type of a file starting with ``head`` if it is an allowed type, else None."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in BINARY_TYPES else None
    text = _as_text(head)
    return _text_type(text) if text is not None and text.strip() else None
