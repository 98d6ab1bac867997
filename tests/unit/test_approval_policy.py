"""Which approval steps a requisition gets (pure rules)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from reqflow.approvals.policy import DEFAULT_POLICY, Subject, add_business_days, choose, plan


def _steps(amount, manager=7, over_budget=False, purpose="Daily Operations", policies=()):
    subject = Subject(
        purpose=purpose,
        department_id=1,
        amount=Decimal(amount),
        manager_id=manager,
        over_budget=over_budget,
    )
    return [(s.kind, s.role, s.approver_id) for s in plan(choose(list(policies), subject), subject)]


def test_small_requisition_needs_line_manager_then_procurement():
    assert _steps("4999.99") == [("line_manager", None, 7), ("role", "Procurement", None)]


def test_high_value_adds_procurement_manager_at_exactly_5000():
    assert _steps("5000.00")[-1] == ("role", "ProcurementMgr", None)
    assert len(_steps("5000.00")) == 3


def test_line_manager_step_is_skipped_when_there_is_none():
    assert _steps("100.00", manager=None) == [("role", "Procurement", None)]


def test_over_budget_gets_the_manager_step_whatever_the_amount():
    assert _steps("10.00", over_budget=True)[-1] == ("role", "ProcurementMgr", None)


def test_over_budget_is_not_doubled_for_large_amounts():
    steps = _steps("9000.00", over_budget=True)
    assert [s for s in steps if s[1] == "ProcurementMgr"] == [("role", "ProcurementMgr", None)]


def test_first_matching_policy_by_priority_wins():
    project_rule = {
        "id": 1,
        "priority": 10,
        "purpose": "Project-Specific",
        "steps": [{"kind": "role", "role": "ProcurementMgr"}],
    }
    cheap_rule = {
        "id": 2,
        "priority": 20,
        "max_amount": "100.00",
        "steps": [{"kind": "role", "role": "Procurement"}],
    }
    policies = [cheap_rule, project_rule]
    assert _steps("50.00", purpose="Project-Specific", policies=policies) == [
        ("role", "ProcurementMgr", None)
    ]
    assert _steps("50.00", policies=policies) == [("role", "Procurement", None)]
    assert _steps("500.00", policies=policies) == _steps("500.00")


def test_default_policy_is_the_spec_default():
    assert [s["kind"] for s in DEFAULT_POLICY["steps"]] == ["line_manager", "role", "role"]


def test_due_time_counts_business_days_only():
    friday = datetime(2026, 1, 9, 10, 0)
    assert add_business_days(friday, 2) == datetime(2026, 1, 13, 10, 0)
    monday = datetime(2026, 1, 12, 10, 0)
    assert add_business_days(monday, 2) == datetime(2026, 1, 14, 10, 0)
