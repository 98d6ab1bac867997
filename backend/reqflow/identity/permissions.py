"""The permission matrix of SPEC §1, in one place.

Permissions are ``resource:action[:scope]`` with scopes own < department < all.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ENGINEER = "Engineer"
    PROCUREMENT = "Procurement"
    PROCUREMENT_MGR = "ProcurementMgr"
    WAREHOUSE = "Warehouse"
    ACCOUNTANT = "Accountant"
    ADMIN = "Admin"


SCOPES = ("own", "department", "all")

_PROCUREMENT_VIEW = {
    "requisition:view:all",
    "requisition:approve",
    "po:create",
    "po:manage",
    "po:view",
    "supplier:manage",
    "item:manage",
    "rfq:manage",
    "inventory:search",
    "inventory:view",
}

MATRIX: dict[Role, frozenset[str]] = {
    Role.ENGINEER: frozenset(
        {"requisition:create", "requisition:view:own", "inventory:search", "goods:accept"}
    ),
    Role.PROCUREMENT: frozenset(_PROCUREMENT_VIEW),
    Role.PROCUREMENT_MGR: frozenset(
        _PROCUREMENT_VIEW
        | {
            "po:approve",
            "approval_policy:manage",
            "reports:financial",
            "audit:view",
            "project:manage",
        }
    ),
    Role.WAREHOUSE: frozenset(
        {
            "po:view",
            "inventory:search",
            "inventory:view",
            "inventory:manage",
            "goods:receive",
            "storage:manage",
            "item:manage",
        }
    ),
    # SPEC §1: accounts payable views POs and receipts, not requisitions (drafts, approval
    # history); what a PO, receipt or invoice shows of its requisition comes with it.
    Role.ACCOUNTANT: frozenset(
        {
            "po:view",
            "goods:view",
            "invoice:create",
            "payment:process",
            "reports:financial",
            "accounting:manage",
        }
    ),
    Role.ADMIN: frozenset(
        {
            "user:manage",
            "department:manage",
            "audit:view",
            "settings:manage",
            "approval_policy:manage",
            "project:manage",
        }
    ),
}

# Reports (issue 14): Procurement sees spend and supplier performance (reports:procurement);
# the Admin also holds the financial reports.
MATRIX[Role.PROCUREMENT] = MATRIX[Role.PROCUREMENT] | {"reports:procurement"}
MATRIX[Role.PROCUREMENT_MGR] = MATRIX[Role.PROCUREMENT_MGR] | {"reports:procurement"}
MATRIX[Role.ADMIN] = MATRIX[Role.ADMIN] | {"reports:financial", "reports:procurement"}

# Imports (issue 15): one permission per kind, ``import:<kind>``. Whoever manages a kind of
# master data may import it; the Admin (who loads a company's data on day one) imports all.
IMPORT_KINDS: dict[str, str] = {
    "suppliers": "supplier:manage",
    "items": "item:manage",
    "projects": "project:manage",
    "locations": "storage:manage",
    "stock": "inventory:manage",
    "users": "user:manage",
}
for _role, _held in list(MATRIX.items()):
    MATRIX[_role] = _held | {
        f"import:{kind}"
        for kind, manages in IMPORT_KINDS.items()
        if _role is Role.ADMIN or manages in _held
    }


def permissions_for(role: str) -> frozenset[str]:
    try:
        return MATRIX[Role(role)]
    except ValueError:
        return frozenset()


def grants(permissions: frozenset[str], resource: str, action: str, scope: str | None) -> bool:
    """Does the set grant ``resource:action`` at ``scope`` (or any scope when None)?"""
    base = f"{resource}:{action}"
    if base in permissions:
        return True
    held = [p.rsplit(":", 1)[1] for p in permissions if p.startswith(base + ":")]
    if scope is None:
        return bool(held)
    wanted = SCOPES.index(scope) if scope in SCOPES else len(SCOPES)
    return any(SCOPES.index(s) >= wanted for s in held if s in SCOPES)


def widest_scope(permissions: frozenset[str], resource: str, action: str) -> str | None:
    """The broadest scope held for ``resource:action``; ``all`` for an unscoped grant."""
    if f"{resource}:{action}" in permissions:
        return "all"
    for scope in reversed(SCOPES):
        if f"{resource}:{action}:{scope}" in permissions:
            return scope
    return None
