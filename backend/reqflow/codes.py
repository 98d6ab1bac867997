"""Every machine code a user may see, read from the enums and the matrix (the one source).

``flask codes-dump`` writes them to ``frontend/src/i18n/codes.json``; the SPA labels each one
through vue-i18n and its test fails for a code without an English label, so a new status,
permission, audit action, event or error code cannot reach the screen as a raw code.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import click
from flask import Flask

from reqflow.config import REPO_ROOT

CODES_FILE = REPO_ROOT / "frontend" / "src" / "i18n" / "codes.json"


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


def _statuses() -> dict[str, list[str]]:
    from reqflow.accounting.models import InvoiceStatus, PaymentMethod
    from reqflow.approvals.models import StepKind, StepStatus
    from reqflow.imports.models import ImportStatus
    from reqflow.inventory.ledger import EntryType
    from reqflow.inventory.models import Condition, LineStatus, ReceiptStatus, StockStatus
    from reqflow.inventory.return_models import ReturnStatus
    from reqflow.purchasing.models import POStatus
    from reqflow.purchasing.rfq_models import RfqStatus
    from reqflow.requisitions.models import Purpose, Status

    enums: dict[str, type[StrEnum]] = {
        "requisition": Status,
        "requisition_purpose": Purpose,
        "approval_step": StepStatus,
        "approval_step_kind": StepKind,
        "purchase_order": POStatus,
        "rfq": RfqStatus,
        "receipt": ReceiptStatus,
        "receipt_line": LineStatus,
        "receipt_condition": Condition,
        "stock": StockStatus,
        "stock_entry": EntryType,
        "return": ReturnStatus,
        "invoice": InvoiceStatus,
        "payment_method": PaymentMethod,
        "import": ImportStatus,
    }
    return {name: _values(enum) for name, enum in enums.items()}


def _error_codes() -> list[str]:
    from reqflow.errors import HTTP_CODES, DomainError

    codes = set(HTTP_CODES.values()) | {
        "CSRF_FAILED",
        "HTTP_ERROR",
        "INTERNAL_ERROR",
        "UNAVAILABLE",
        "STALE_VERSION",
    }
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        if _ours(cls):
            codes.add(cls.code)
        pending.extend(cls.__subclasses__())
    return sorted(codes)


def _ours(cls: type) -> bool:
    """A class of the product, not one a test defines (a test's event or error registers
    itself in the same registries while it runs)."""
    return cls.__module__.startswith("reqflow.")


def collect() -> dict[str, Any]:
    """The codes by kind, each list sorted; needs an app (the event registry is filled)."""
    from reqflow.accounting import matching
    from reqflow.events import EVENT_TYPES
    from reqflow.identity.permissions import MATRIX, Role

    events = [cls for cls in EVENT_TYPES.values() if _ours(cls)]
    return {
        "status": _statuses(),
        "role": _values(Role),
        "permission": sorted(set().union(*MATRIX.values())),
        "audit_action": sorted({cls.audit_action() for cls in events}),
        "event_type": sorted(cls.name() for cls in events),
        "error": _error_codes(),
        "match_reason": [
            matching.QTY_OVER_RECEIVED,
            matching.PRICE_OVER_TOLERANCE,
            matching.PRICE_UNDER_TOLERANCE,
            matching.TAX_MISMATCH,
        ],
    }


def render() -> str:
    return json.dumps(collect(), indent=2, sort_keys=True) + "\n"


def register_codes_cli(app: Flask) -> None:
    @app.cli.command("codes-dump")
    @click.option("--out", type=click.Path(path_type=Path), default=CODES_FILE, show_default=True)
    def codes_dump(out: Path) -> None:
        """Write every user-visible code (statuses, permissions, audit actions…) for the SPA."""
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render())
        click.echo(f"Wrote {out}")
