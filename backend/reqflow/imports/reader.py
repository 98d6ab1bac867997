"""Reading an uploaded CSV or XLSX file as a stream of rows, within fixed limits.

Nothing here loads a whole sheet: rows come from a local (seekable) file, CSV is decoded
incrementally, XLSX is read with openpyxl's
read-only (streaming) reader, values only (a formula cell gives its cached value; nothing is
ever evaluated). Before openpyxl sees an XLSX, the zip directory is checked: the total
uncompressed size and the compression ratio are capped (a zip bomb is refused from its
directory, without inflating it), and an XML part that declares a DOCTYPE (the carrier of
billion-laughs and external entities; Office never writes one) is refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from reqflow.errors import DomainError

CSV, XLSX = "csv", "xlsx"
ZIP_MAGIC = b"PK\x03\x04"
MAX_RATIO = 200  # uncompressed / compressed per member; real sheets compress ~10-20x


class UnsupportedFile(DomainError):
    status, code = 415, "UNSUPPORTED_MEDIA_TYPE"


class FileTooLarge(DomainError):
    status, code = 413, "PAYLOAD_TOO_LARGE"


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_rows: int


def file_format(filename: str, data: bytes) -> str:
    """``csv`` or ``xlsx`` from the name and the file's first bytes; anything else is a 415."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(ZIP_MAGIC):
            raise UnsupportedFile("The file is not an XLSX workbook.")
        return XLSX
    if name.endswith((".csv", ".txt")):
        if data.startswith(ZIP_MAGIC) or b"\x00" in data[:4096]:
            raise UnsupportedFile("The file is not CSV text.")
        return CSV
    raise UnsupportedFile("Upload a .csv or .xlsx file.")


def _encoding(file: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(1 << 16):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    finally:
        file.seek(0)
    return "utf-8-sig"


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_rows(file: IO[bytes]) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(file, encoding=_encoding(file), newline="")  # type: ignore[type-var]
    try:
        first = text.readline()
        text.seek(0)
        yield from csv.reader(text, delimiter=_delimiter(first))
    finally:
        if not text.closed:  # the caller owns (and closes) the file
            text.detach()


def _check_zip(file: IO[bytes], limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFile("The file is not a readable XLSX workbook.") from exc
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed or len(members) > 1000:
        raise FileTooLarge("The workbook expands beyond the size limit.")
    for member in members:
        if member.file_size > MAX_RATIO * max(member.compress_size, 1024):
            raise FileTooLarge("The workbook is compressed suspiciously well (zip bomb).")
        if member.filename.endswith((".xml", ".rels")):
            _check_prolog(archive, member)
    return archive


def _check_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    with archive.open(member) as stream:
        head = stream.read(4096).upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsupportedFile("The workbook declares XML entities; it is refused.")


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _xlsx_rows(file: IO[bytes], limits: Limits) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    _check_zip(file, limits).close()
    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise UnsupportedFile("The file is not a readable XLSX workbook.") from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        workbook.close()


def _blank(row: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def rows(file: IO[bytes], fmt: str, limits: Limits) -> Generator[tuple[int, list[Any]], None, None]:
    """(spreadsheet row number, values) for every non-blank row of a local file, header
    first; more than ``max_rows`` data rows is a 413."""
    file.seek(0)
    source = _xlsx_rows(file, limits) if fmt == XLSX else _csv_rows(file)
    seen = 0
    try:
        for number, values in enumerate(source, start=1):
            if _blank(values):
                continue
            seen += 1
            if seen > limits.max_rows + 1:
                raise FileTooLarge(f"The file has more than {limits.max_rows} rows.")
            yield number, values
    except (csv.Error, UnicodeDecodeError) as exc:
        raise UnsupportedFile(f"The file cannot be read as CSV: {exc}") from exc
