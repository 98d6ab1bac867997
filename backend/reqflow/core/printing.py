"""The one layout of every printable document (reportlab): the company header, a document
heading with its facts, house-styled tables, and "Page n of m" with the company name in
every page's footer. Purchase orders, requisitions, goods receipt notes, invoice vouchers
and the AP aging report are built from these pieces; none draws its own page."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from flask import Response, current_app
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reqflow.core.money import CENT, MILLI

DEFAULT_COMPANY = "ReqFlow Manufacturing"
MARGIN = 18 * mm
HEADER_FILL = colors.HexColor("#e8edf3")


def company() -> str:
    return str(current_app.config.get("COMPANY_NAME") or DEFAULT_COMPANY)


def currency() -> str:
    return str(current_app.config.get("BASE_CURRENCY", "USD"))


def text(value: Any) -> str:
    """Escaped for reportlab's mini-markup, line breaks kept."""
    return escape(str(value if value is not None else "")).replace("\n", "<br/>")


def amount(value: Any) -> str:
    return f"{value.quantize(CENT):,.2f}"


def qty(value: Any) -> str:
    return f"{value.quantize(MILLI).normalize():f}"


def when(value: Any) -> str:
    """A date or a UTC timestamp as printed: ``2026-03-01`` / ``2026-03-01 14:05 UTC``."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    return f"{value:%Y-%m-%d}"


def styles() -> StyleSheet1:
    return getSampleStyleSheet()


def para(markup: str, style: str = "Normal") -> Paragraph:
    """A paragraph of already-escaped markup (build it with ``text``)."""
    return Paragraph(markup, styles()[style])


def heading(title: str, facts: Sequence[str] = ()) -> list[Flowable]:
    """The company header, the document's title and one line of its facts."""
    story: list[Flowable] = [para(text(company()), "Title"), para(text(title), "Heading2")]
    if facts:
        story.append(para(" · ".join(text(f) for f in facts if f)))
    story.append(Spacer(1, 6 * mm))
    return story


def section(title: str) -> list[Flowable]:
    return [Spacer(1, 5 * mm), para(text(title), "Heading3")]


def table(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    right_from: int | None = None,
    totals: int = 0,
) -> Table:
    """A grid with a shaded header row; columns from ``right_from`` right-aligned (figures);
    the last ``totals`` rows are bold, under a rule and outside the grid."""
    grid_end = len(rows) - totals - 1
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("GRID", (0, 0), (-1, grid_end), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
    if right_from is not None:
        commands.append(("ALIGN", (right_from, 1), (-1, -1), "RIGHT"))
    if totals:
        commands += [
            ("FONTNAME", (0, grid_end + 1), (-1, -1), "Helvetica-Bold"),
            ("LINEABOVE", (0, grid_end + 1), (-1, grid_end + 1), 0.5, colors.black),
        ]
    grid = Table(rows, colWidths=list(widths), repeatRows=1)
    grid.setStyle(TableStyle(commands))
    return grid


def _numbered(label: str) -> type[Canvas]:
    """A canvas that writes "Page n of m" once it knows m (after the last page)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(len(self._pages))
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = self._pagesize[0]
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.grey)
            self.drawString(MARGIN, 10 * mm, f"{company()} · {label}")
            self.drawRightString(width - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")

    return NumberedCanvas


def render(story: list[Flowable], *, title: str, subject: str, wide: bool = False) -> bytes:
    """The document as PDF bytes: A4 (landscape when ``wide``), numbered pages."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if wide else A4,
        title=title,
        author=company(),
        subject=subject,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    doc.build(story, canvasmaker=_numbered(title))
    return buffer.getvalue()


def content_width(wide: bool = False) -> float:
    return float((landscape(A4) if wide else A4)[0] - 2 * MARGIN)


def pdf_response(data: bytes, filename: str) -> Response:
    """Shown in the browser (``inline``), never cached by a shared cache."""
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
