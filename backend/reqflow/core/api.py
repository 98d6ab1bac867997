"""Flask-RESTful glue: errors go to the app's one handler; list responses share one shape."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_restful import Api
from marshmallow import Schema

from reqflow.core.envelope import ok
from reqflow.core.pagination import Page


class ReqFlowApi(Api):
    def handle_error(self, e: Exception) -> Any:
        # Re-raise so the application's single error handler writes the envelope.
        raise e


def make_api(bp: Blueprint) -> ReqFlowApi:
    return ReqFlowApi(bp)


def paged(page: Page, schema: Schema, key: str, message: str) -> Any:
    data = {key: schema.dump(page.items, many=True), "pagination": page.meta()}
    return ok(data, message, headers=page.headers())
