"""Thin resources: /projects."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_restful import Resource

from reqflow.core.api import make_api, paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, query_args
from reqflow.projects import service
from reqflow.projects.models import Project
from reqflow.projects.schemas import ProjectCreate, ProjectQuery, ProjectRead, ProjectUpdate

bp = Blueprint("projects", __name__)
api = make_api(bp)

PROJECT_SORT = {
    "code": Project.code,
    "name": Project.name,
    "budget_amount": Project.budget_amount,
    "created_at": Project.created_at,
    "updated_at": Project.updated_at,
    "id": Project.id,
}


def _dump_one(project: Project) -> dict[str, Any]:
    committed = service.committed_amounts([project.id])
    return {"project": ProjectRead(committed=committed).dump(project)}


class ProjectList(Resource):
    schemas = {
        "get": {"query": ProjectQuery, "response": ProjectRead, "many": True, "key": "projects"},
        "post": {"body": ProjectCreate, "response": ProjectRead, "key": "project", "status": 201},
    }

    @login_required
    def get(self):
        """List projects with their committed and remaining budget."""
        query = service.projects_query(actor=current_user(), **query_args(ProjectQuery()))
        page = paginate(apply_sort(query, PROJECT_SORT, "code"))
        committed = service.committed_amounts(project.id for project in page.items)
        return paged(page, ProjectRead(committed=committed), "projects", "Projects retrieved")

    @require_permission("project", "manage")
    @idempotent
    def post(self):
        """Create a project."""
        project = service.create_project(actor=current_user(), data=load(ProjectCreate()))
        return created(_dump_one(project), "Project created")


class ProjectDetail(Resource):
    schemas = {
        "get": {"response": ProjectRead, "key": "project"},
        "put": {"body": ProjectUpdate, "response": ProjectRead, "key": "project"},
    }

    @login_required
    def get(self, project_id: int):
        """One project with its committed and remaining budget."""
        return ok(_dump_one(service.get_project(project_id)), "Project retrieved")

    @require_permission("project", "manage")
    def put(self, project_id: int):
        """Update a project (send the current ``version``)."""
        data = load(ProjectUpdate())
        project = service.update_project(actor=current_user(), project_id=project_id, data=data)
        return ok(_dump_one(project), "Project updated")


api.add_resource(ProjectList, "/projects")
api.add_resource(ProjectDetail, "/projects/<int:project_id>")
