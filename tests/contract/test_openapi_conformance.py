"""schemathesis against the live app on PostgreSQL: every operation of the OpenAPI document,
as an Admin and as an Engineer, with a fixed seed and a bounded number of examples. The
document must describe every answer: no server error, each response's status, content type
and body as documented."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.bench import seed_p2p
from tests.bench.seed import PASSWORD as SEED_PASSWORD
from tests.conftest import PASSWORD

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6
SEED = 20261205
# Path ids drawn from the rows the run itself creates, so lookups also find something.
ID_RANGE = {"minimum": 1, "maximum": 12}
# Run creates first (so there is something to read), and what ends the session last.
LAST = ("/auth/change-password", "/deactivate", "/cancel")
# Admin and Engineer (the conftest's users) and the buyer, accountant and storekeeper of the
# procure-to-pay seed, whose purchase orders, receipts, stock and invoices give the reads
# something real to answer.
# The Admin runs last: its fuzzed deactivations would lock the others out.
ROLES = {
    "engineer": PASSWORD,
    "buyer00": SEED_PASSWORD,
    "acct00": SEED_PASSWORD,
    "store00": SEED_PASSWORD,
    "admin": PASSWORD,
}


def _fuzz_document(document: dict[str, Any]) -> dict[str, Any]:
    fuzz = copy.deepcopy(document)
    for operations in fuzz["paths"].values():
        for op in operations.values():
            for param in op.get("parameters", []):
                if param["in"] == "path" and param["schema"].get("type") == "integer":
                    param["schema"] = {"type": "integer", **ID_RANGE}
    return fuzz


def _order(item: tuple[str, str]) -> tuple[int, str, str]:
    path, method = item
    if path == "/auth/logout":
        rank = 4
    elif any(path.endswith(tail) for tail in LAST) or method == "delete":
        rank = 3
    elif method == "post" and "{" not in path:
        rank = 0
    elif method == "get":
        rank = 1
    else:
        rank = 2
    return rank, path, method


def _login(base: str, username: str) -> dict[str, str]:
    answer = requests.post(
        f"{base}/api/v1/auth/login",
        json={"username": username, "password": ROLES[username]},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['data']['access_token']}"}


def _exercise(operation: Any, call: Callable[[Any], None]) -> None:
    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        call(case)

    run()


def _conformance_failures(base: str, document: dict[str, Any], username: str) -> dict[str, str]:
    schema = schemathesis.openapi.from_dict(_fuzz_document(document))
    schema.config.update(base_url=f"{base}/api/v1")
    operations = {(op.path, op.method): op for op in (r.ok() for r in schema.get_all_operations())}
    headers = _login(base, username)
    failures: dict[str, str] = {}
    answered: dict[str, set[int]] = defaultdict(set)

    for key in sorted(operations, key=_order):
        label = f"{key[1].upper()} {key[0]}"

        def call(case: Any, label: str = label) -> None:
            if label in failures:
                return
            response = case.call(headers=headers, timeout=30)
            answered[label].add(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS)
            except (FailureGroup, AssertionError) as failure:
                failures[label] = str(failure)[:1500]

        _exercise(operations[key], call)
    print(username, dict(answered))
    return failures


def test_every_operation_answers_as_documented(app, live_server, pg_database, request):
    seed_p2p.seed(pg_database, pos=40, pool=4)
    request.getfixturevalue("users")
    document = requests.get(f"{live_server}/api/v1/openapi.json", timeout=30).json()
    found = {}
    for username in ROLES:
        for label, failure in _conformance_failures(live_server, document, username).items():
            found[f"{username}: {label}"] = failure
    assert not found, "\n\n".join(f"{k}\n{v}" for k, v in found.items())
