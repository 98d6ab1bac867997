"""Project use cases and budget figures; each use case is one transaction.

Committed spend belongs to higher domains (requisitions, purchasing), which this package
must not import. They register a *commitment source* instead: a function that takes project
ids and returns ``{project_id: amount}`` from one SQL aggregate. Committed spend is the sum
over the registered sources, fetched once per list page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, false, or_, select
from sqlalchemy.exc import IntegrityError

from reqflow.core.money import money
from reqflow.core.versioning import expect_version
from reqflow.errors import NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.projects.events import ProjectCreated, ProjectUpdated
from reqflow.projects.models import Project

CommitmentSource = Callable[[list[int]], Mapping[int, Decimal]]

_sources: list[CommitmentSource] = []


def register_commitment_source(fn: CommitmentSource) -> CommitmentSource:
    """Add a source of committed spend (usable as a decorator); registering twice is a no-op."""
    if fn not in _sources:
        _sources.append(fn)
    return fn


def unregister_commitment_source(fn: CommitmentSource) -> None:
    if fn in _sources:
        _sources.remove(fn)


def committed_amounts(project_ids: Iterable[int]) -> dict[int, Decimal]:
    """Committed spend per project: the sum of every registered source (zero when none)."""
    ids = sorted(set(project_ids))
    totals = {project_id: Decimal("0.00") for project_id in ids}
    if not ids:
        return totals
    for source in _sources:
        for project_id, amount in source(ids).items():
            if project_id in totals and amount is not None:
                totals[project_id] += money(amount)
    return totals


def get_project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound("Project not found")
    return project


def check_budget(project_id: int, extra: Decimal, *, lock: bool = False) -> tuple[bool, Decimal]:
    """Would committed spend plus ``extra`` exceed the budget? Returns ``(over, remaining)``
    where ``remaining`` is budget minus what is already committed (before ``extra``).

    ``lock=True`` holds the project row until the caller's transaction ends, so two
    concurrent checks against the same budget are serialised.
    """
    if lock:
        query = (
            select(Project)
            .where(Project.id == project_id)
            .with_for_update(of=Project)
            .execution_options(populate_existing=True)
        )
        project = db.session.scalars(query).first()
        if project is None:
            raise NotFound("Project not found")
    else:
        project = get_project(project_id)
    committed = committed_amounts([project.id])[project.id]
    remaining = money(project.budget_amount - committed)
    return committed + money(extra) > project.budget_amount, remaining


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def projects_query(
    *,
    actor: User,
    q: str | None = None,
    owner_id: int | None = None,
    is_active: bool | None = None,
    include_inactive: bool = False,
) -> Select[Any]:
    """Projects matching ``q`` (code, name) and the filters; lists show active projects
    unless a project manager asks for inactive ones."""
    query = select(Project)
    if q:
        pattern = _like(q)
        query = query.where(
            or_(Project.code.ilike(pattern, escape="\\"), Project.name.ilike(pattern, escape="\\"))
        )
    if owner_id is not None:
        query = query.where(Project.owner_id == owner_id)
    if not actor.can("project", "manage"):
        return query.where(Project.is_active.is_(True) if is_active is not False else false())
    if is_active is not None:
        return query.where(Project.is_active.is_(is_active))
    return query if include_inactive else query.where(Project.is_active.is_(True))


def _check_owner(owner_id: int | None, current: int | None = None) -> None:
    """A newly chosen owner must be an active user."""
    if owner_id is None or owner_id == current:
        return
    owner = db.session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise ValidationFailed("Validation failed", details={"owner_id": ["No such active user."]})


def _flush() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        text = str(exc.orig).lower()
        field = "owner_id" if "owner" in text else "code"
        message = "No such user." if field == "owner_id" else "Already in use."
        raise ValidationFailed("Validation failed", details={field: [message]}) from exc


def create_project(*, actor: User, data: dict[str, Any]) -> Project:
    """Create a project with its budget; codes are unique."""
    _check_owner(data.get("owner_id"))
    project = Project(**data)
    db.session.add(project)
    _flush()
    record(
        ProjectCreated(actor_id=actor.id, resource_id=project.id, new_values=project.audit_view())
    )
    db.session.commit()
    return project


def update_project(*, actor: User, project_id: int, data: dict[str, Any]) -> Project:
    """Change a project, its budget or whether it is active; a stale version is refused."""
    project = get_project(project_id)
    expect_version(project, data.pop("version"), "project")
    if "owner_id" in data:
        _check_owner(data["owner_id"], project.owner_id)
    old = project.audit_view()
    for field, value in data.items():
        setattr(project, field, value)
    _flush()
    new = project.audit_view()
    changed = [key for key in new if new[key] != old[key]]
    if changed:
        record(
            ProjectUpdated(
                actor_id=actor.id,
                resource_id=project.id,
                old_values={key: old[key] for key in changed},
                new_values={key: new[key] for key in changed},
            )
        )
    db.session.commit()
    return project
