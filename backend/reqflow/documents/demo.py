"""Demo data: a few attachments and a short discussion on given documents. The seed calls
``add_demo_documents(...)`` with users it has already created."""

from __future__ import annotations

import io

from reqflow.documents import comments, service
from reqflow.identity.models import User

_QUOTE_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
_PRICE_CSV = b"sku,description,qty,unit_price\nB-6201,Bearing 6201-2RS,10,4.20\n"


def add_demo_documents(
    *, documents: list[tuple[str, int]], author: User, replier: User | None = None
) -> None:
    """For each ``(document_type, document_id)``: a supplier quote PDF, a price list CSV, and
    a two-comment thread (``author`` asks, ``replier`` answers with a mention)."""
    for doc_type, doc_id in documents:
        for data, name in ((_QUOTE_PDF, "supplier-quote.pdf"), (_PRICE_CSV, "price-list.csv")):
            service.upload(
                actor=author,
                document_type=doc_type,
                document_id=doc_id,
                stream=io.BytesIO(data),
                filename=name,
            )
        comments.add(
            actor=author,
            document_type=doc_type,
            document_id=doc_id,
            body="The supplier's quote is attached; **prices valid 30 days**.",
        )
        if replier is not None:
            comments.add(
                actor=replier,
                document_type=doc_type,
                document_id=doc_id,
                body=f"Thanks @{author.username}, checked against the price list.",
            )
