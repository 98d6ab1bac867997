"""Pure rules: which policy applies and which steps it yields (unit-tested without a DB)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

HIGH_VALUE = Decimal("5000.00")

DEFAULT_POLICY: dict[str, Any] = {
    "name": "Default",
    "priority": 1000,
    "purpose": None,
    "department_id": None,
    "min_amount": None,
    "max_amount": None,
    "steps": [
        {"kind": "line_manager", "label": "Line manager"},
        {"kind": "role", "role": "Procurement", "label": "Procurement review"},
        {
            "kind": "role",
            "role": "ProcurementMgr",
            "label": "High-value approval",
            "min_amount": str(HIGH_VALUE),
        },
    ],
}


@dataclass(frozen=True)
class PlannedStep:
    kind: str
    label: str
    role: str | None = None
    approver_id: int | None = None


@dataclass(frozen=True)
class Subject:
    """What a policy is matched against."""

    purpose: str
    department_id: int | None
    amount: Decimal
    manager_id: int | None
    over_budget: bool = False


def _dec(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def matches(policy: dict[str, Any], subject: Subject) -> bool:
    if policy.get("purpose") and policy["purpose"] != subject.purpose:
        return False
    if policy.get("department_id") and policy["department_id"] != subject.department_id:
        return False
    low, high = _dec(policy.get("min_amount")), _dec(policy.get("max_amount"))
    if low is not None and subject.amount < low:
        return False
    return not (high is not None and subject.amount >= high)


def catch_all(policy: dict[str, Any]) -> bool:
    """A rule with no purpose, department or amount bounds: it matches every document."""
    keys = ("purpose", "department_id", "min_amount", "max_amount")
    return all(policy.get(key) in (None, "") for key in keys)


def unreachable(policies: list[dict[str, Any]]) -> dict[int, str]:
    """Position in ``policies`` → the name of the catch-all rule that comes before it in
    matching order (priority, then position): such a rule can never match."""
    order = sorted(range(len(policies)), key=lambda i: (policies[i].get("priority", 100), i))
    shadowed: dict[int, str] = {}
    first: str | None = None
    for index in order:
        if first is not None:
            shadowed[index] = first
        elif catch_all(policies[index]):
            first = policies[index]["name"]
    return shadowed


def choose(policies: list[dict[str, Any]], subject: Subject) -> dict[str, Any]:
    """The matching policy with the lowest priority number; the default when none match."""
    for policy in sorted(policies, key=lambda p: (p.get("priority", 100), p.get("id", 0))):
        if matches(policy, subject):
            return policy
    return DEFAULT_POLICY


def plan(policy: dict[str, Any], subject: Subject) -> list[PlannedStep]:
    """Ordered steps; line manager skipped when absent; over budget forces the manager step."""
    steps: list[PlannedStep] = []
    for spec in policy["steps"]:
        threshold = _dec(spec.get("min_amount"))
        forced = subject.over_budget and spec.get("role") == "ProcurementMgr"
        if threshold is not None and subject.amount < threshold and not forced:
            continue
        label = spec.get("label") or spec.get("role") or "Line manager"
        if spec["kind"] == "line_manager":
            if subject.manager_id is not None:
                steps.append(PlannedStep("line_manager", label, approver_id=subject.manager_id))
        else:
            steps.append(PlannedStep("role", label, role=spec["role"]))
    if subject.over_budget and not any(s.role == "ProcurementMgr" for s in steps):
        steps.append(PlannedStep("role", "Over-budget approval", role="ProcurementMgr"))
    return steps


def add_business_days(start: datetime, days: int) -> datetime:
    """``days`` working days after ``start`` (Saturdays and Sundays do not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
