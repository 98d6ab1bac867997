"""GET /dashboard: the caller's role-specific KPIs; the /reports/* resources are registered here."""

from __future__ import annotations

from flask import Blueprint
from flask_restful import Resource

from reqflow.core.api import make_api
from reqflow.core.envelope import ok
from reqflow.core.rbac import current_user, login_required
from reqflow.reporting import measures  # noqa: F401 - keeps po_line_measures on each flush
from reqflow.reporting.dashboard import dashboard
from reqflow.reporting.report_resources import register

bp = Blueprint("reporting", __name__)
api = make_api(bp)


class Dashboard(Resource):
    schemas = {"get": {"key": "dashboard"}}

    @login_required
    def get(self):
        """Role-specific KPIs: my requisitions, approvals waiting and overdue, spend by month."""
        return ok({"dashboard": dashboard(current_user())}, "Dashboard")


api.add_resource(Dashboard, "/dashboard")

register(api)
