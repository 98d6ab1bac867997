"""``flask seed-demo`` and ``flask create-user``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from reqflow.extensions import db
from reqflow.identity import service
from reqflow.identity.models import Department, User
from reqflow.identity.permissions import Role

DEMO_PASSWORD = "ReqFlow-Demo-2026!"

DEMO_DEPARTMENTS = [
    ("Engineering", "ENG"),
    ("Procurement", "PROC"),
    ("Warehouse", "WH"),
    ("Finance", "FIN"),
    ("IT", "IT"),
]

# username, full name, role, department code, manager username
DEMO_USERS = [
    ("admin", "Ada Admin", Role.ADMIN, "IT", None),
    ("procmgr", "Paula Manager", Role.PROCUREMENT_MGR, "PROC", None),
    ("buyer", "Bruno Buyer", Role.PROCUREMENT, "PROC", "procmgr"),
    ("leadeng", "Lena Lead", Role.ENGINEER, "ENG", None),
    ("engineer", "Eric Engineer", Role.ENGINEER, "ENG", "leadeng"),
    ("storekeeper", "Sam Storekeeper", Role.WAREHOUSE, "WH", None),
    # Two accountants: nobody approves an invoice they recorded, nor pays one they approved.
    ("controller", "Carla Controller", Role.ACCOUNTANT, "FIN", None),
    ("accountant", "Alice Accountant", Role.ACCOUNTANT, "FIN", "controller"),
]


def seed_demo(password: str = DEMO_PASSWORD) -> list[str]:
    """Departments and one user per role with line managers; safe to run twice."""
    departments = {}
    for name, code in DEMO_DEPARTMENTS:
        dept = db.session.scalar(select(Department).where(Department.code == code))
        departments[code] = dept or service.create_department(actor=None, name=name, code=code)
    created: list[str] = []
    for username, full_name, role, dept_code, manager in DEMO_USERS:
        if db.session.scalar(select(User).where(User.username == username)):
            continue
        manager_id = None
        if manager:
            manager_id = db.session.scalar(select(User.id).where(User.username == manager))
        service.create_user(
            actor=None,
            data={
                "username": username,
                "email": f"{username}@reqflow.local",
                "full_name": full_name,
                "password": password,
                "role": role.value,
                "department_id": departments[dept_code].id,
                "manager_id": manager_id,
            },
        )
        created.append(username)
    return created


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create demo departments and one user per role."""
        created = seed_demo()
        click.echo(f"Demo users created: {', '.join(created) or 'none (already seeded)'}")
        click.echo(f"Password for every demo user: {DEMO_PASSWORD}")

    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--email", required=True)
    @click.option("--full-name", required=True)
    @click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_user_command(
        username: str, email: str, full_name: str, role: str, password: str
    ) -> None:
        """Create a user (the password is checked against the policy)."""
        user = service.create_user(
            actor=None,
            data={
                "username": username,
                "email": email,
                "full_name": full_name,
                "password": password,
                "role": role,
            },
        )
        click.echo(f"Created user {user.username} ({user.role})")
