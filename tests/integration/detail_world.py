"""Requisitions in several states, made through the services (so on PostgreSQL and SQLite
alike), for comparing the two ways a requisition detail is answered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from reqflow.catalog.models import Item, Supplier
from reqflow.extensions import db
from reqflow.identity import service as identity
from reqflow.projects.models import Project
from reqflow.requisitions import service
from tests.conftest import PASSWORD


def _line(description: str, quantity: str, price: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "item_id": None,
        "quantity": Decimal(quantity),
        "uom": "EA",
        "estimated_unit_price": Decimal(price),
        "suggested_supplier_id": None,
        **extra,
    }


def build(app: Any) -> dict[str, Any]:
    """Users (``engineer`` reports to ``lead``; ``outsider`` sees none of theirs) and the ids
    of a Draft with every nullable field empty, a Submitted one with a project, a supplier
    and a catalog item, an Approved one (two decided steps) and a Questioned one."""
    with app.test_request_context():
        eng = identity.create_department(actor=None, name="Detail Eng", code="DEN")
        people: dict[str, Any] = {}
        for username, role, manager in (
            ("lead", "Engineer", None),
            ("engineer", "Engineer", "lead"),
            ("outsider", "Engineer", None),
            ("buyer", "Procurement", None),
        ):
            people[username] = identity.create_user(
                actor=None,
                data={
                    "username": username,
                    "email": f"{username}@example.com",
                    "full_name": username.title(),
                    "password": PASSWORD,
                    "role": role,
                    "department_id": eng.id,
                    "manager_id": people[manager].id if manager else None,
                },
            )
        supplier = Supplier(code="ACME", name="Acme Industrial")
        item = Item(sku="BRG-6204", name="Bearing 6204")
        project = Project(code="PRJ-D", name="Project D", budget_amount=Decimal("1000.00"))
        db.session.add_all([supplier, item, project])
        db.session.commit()
        engineer, lead, buyer = people["engineer"], people["lead"], people["buyer"]

        def made(**data: Any) -> int:
            base = {"purpose": "Daily Operations", "project_id": None, "needed_by": None}
            return service.create(actor=engineer, data={**base, **data}).id

        draft = made(justification="", items=[_line("Rag", "1", "0")])
        full = {
            "purpose": "Project-Specific",
            "project_id": project.id,
            "needed_by": date(2027, 3, 31),
            "justification": "Spares for line 3",
            "items": [
                _line(
                    "Bearing 6204-2RS",
                    "3.333",
                    "12.34",
                    item_id=item.id,
                    suggested_supplier_id=supplier.id,
                ),
                _line("Grease", "1", "7.5", suggested_supplier_id=supplier.id),
                _line("Seal", "2.5", "0.99", item_id=item.id),
            ],
        }
        submitted = made(**full)
        service.submit(actor=engineer, requisition_id=submitted)
        approved = made(justification="Gloves", items=[_line("Gloves", "10", "1.25")])
        service.submit(actor=engineer, requisition_id=approved)
        service.approve(actor=lead, requisition_id=approved, comment="fine")
        service.approve(actor=buyer, requisition_id=approved)
        questioned = made(justification="Tape", items=[_line("Tape", "4", "2")])
        service.submit(actor=engineer, requisition_id=questioned)
        service.question(actor=lead, requisition_id=questioned, question="Which width?")
        ids = {
            "draft": draft,
            "submitted": submitted,
            "approved": approved,
            "questioned": questioned,
        }
        users = {name: user.id for name, user in people.items()}
        db.session.remove()
    return {"ids": ids, "users": users}


def both_answers(app: Any, world: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """For every requisition and user: (label, the detail read from Core rows, the detail
    dumped from the ORM objects the service loads), either None when refused as absent."""
    from reqflow.errors import NotFound
    from reqflow.identity.models import User
    from reqflow.requisitions.detail import detail_body, read_body

    missing = max(world["ids"].values()) + 1000
    answers = []
    with app.test_request_context():
        for username, user_id in world["users"].items():
            for state, requisition_id in [*world["ids"].items(), ("absent", missing)]:
                user = db.session.get(User, user_id)
                try:
                    fast = read_body(requisition_id, user)
                except NotFound:
                    fast = None
                db.session.remove()
                user = db.session.get(User, user_id)
                try:
                    slow = detail_body(service.get(requisition_id=requisition_id, actor=user), user)
                except NotFound:
                    slow = None
                db.session.remove()
                answers.append((f"{username} {state}", fast, slow))
    return answers
