"""Helpers for requisition tests: payloads, projects, and walking the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

BASE = "/api/v1/requisitions"


def payload(*lines: tuple[str, str], purpose: str = "Daily Operations", **extra: Any) -> dict:
    """``payload(("2", "10.50"))`` → a requisition body with one line per (qty, price)."""
    lines = lines or (("2", "10.50"),)
    return {
        "purpose": purpose,
        "justification": "Spare parts for line 3 maintenance",
        "needed_by": "2026-12-31",
        "items": [
            {
                "description": f"Bearing 62{i:02d}-2RS",
                "quantity": q,
                "uom": "EA",
                "estimated_unit_price": p,
            }
            for i, (q, p) in enumerate(lines)
        ],
        **extra,
    }


def create(client, headers, body: dict | None = None) -> dict:
    response = client.post(BASE, json=body or payload(), headers=headers)
    assert response.status_code == 201, response.json
    return response.json["data"]["requisition"]


def act(client, headers, req_id: int, action: str, **body: Any):
    return client.post(f"{BASE}/{req_id}/{action}", json=body, headers=headers)


def submitted(client, auth, username: str = "engineer", body: dict | None = None) -> dict:
    req = create(client, auth(username), body)
    response = act(client, auth(username), req["id"], "submit")
    assert response.status_code == 200, response.json
    return response.json["data"]["requisition"]


def make_project(app, code: str = "PRJ-1", budget: str = "1000.00") -> int:
    from reqflow.extensions import db
    from reqflow.projects.models import Project

    with app.app_context():
        project = Project(code=code, name=f"Project {code}", budget_amount=Decimal(budget))
        db.session.add(project)
        db.session.commit()
        return project.id


def make_supplier(app, code: str = "ACME") -> int:
    from reqflow.catalog.models import Supplier
    from reqflow.extensions import db

    with app.app_context():
        supplier = Supplier(code=code, name=f"{code} Industrial", contact_email="sales@acme.test")
        db.session.add(supplier)
        db.session.commit()
        return supplier.id
