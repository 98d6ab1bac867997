"""The bare-stack floor: plain Flask + SQLAlchemy Core running the queries ReqFlow runs.

No Flask-RESTful, no marshmallow, no Flask-JWT-Extended and no ReqFlow code: what the same
answers cost on the same stack with nothing in between. It reads ReqFlow's schema and
accepts ReqFlow's access tokens (PyJWT, HS256, same secret), so one load script drives both.

Every authenticated request does what issue 17 asks of ReqFlow's auth: one primary-key read
of the user (joined to department and manager) that also checks ``is_active`` and the token
version; the permission table lives in memory.

    GET /health
    GET /api/v1/auth/me
    GET /api/v1/requisitions?page=1&per_page=20   (count capped at 10 000, like ReqFlow)
    GET /api/v1/requisitions/<id>                  (row + items + approval steps)
    PUT /api/v1/requisitions/<id>                  (optimistic lock: UPDATE ... AND version=?)

Served by ``tests/bench/bench_ratio.py`` with the same gunicorn worker class and count as
ReqFlow's API; ``tests/bench/floor_gunicorn.py`` patches psycopg2 for gevent as ReqFlow does.
Configured by FLOOR_DATABASE_URL, FLOOR_JWT_SECRET and FLOOR_DB_POOL_SIZE.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import jwt
from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

COUNT_CAP = 10_000
PERMISSIONS = {
    "Engineer": ["goods:accept", "inventory:search", "requisition:create", "requisition:view:own"],
    "Procurement": sorted(
        [
            "requisition:view:all",
            "requisition:approve",
            "po:create",
            "po:manage",
            "po:view",
            "supplier:manage",
            "item:manage",
            "rfq:manage",
            "inventory:search",
            "inventory:view",
        ]
    ),
}
SEE_ALL = {"Procurement", "ProcurementMgr", "Admin", "Accountant"}

USER = text(
    "SELECT u.id, u.username, u.email, u.full_name, u.role, u.department_id, u.manager_id,"
    " u.is_active, u.token_version, u.last_login_at, u.version,"
    " d.name AS department_name, d.code AS department_code, m.full_name AS manager_name"
    " FROM users u LEFT JOIN departments d ON d.id = u.department_id"
    " LEFT JOIN users m ON m.id = u.manager_id WHERE u.id = :id"
)
_LIST_COLUMNS = (
    "r.id, r.req_number, r.requester_id, r.department_id, r.purpose, r.project_id, r.needed_by,"
    " r.justification, r.status, r.total_amount, r.over_budget, r.submitted_at, r.approved_at,"
    " r.approved_by_id, r.version, q.full_name AS requester_name, q.username AS requester_username,"
    " a.full_name AS approved_by_name, d.name AS department_name,"
    " p.code AS project_code, p.name AS project_name"
)
_JOINS = (
    " JOIN users q ON q.id = r.requester_id LEFT JOIN users a ON a.id = r.approved_by_id"
    " LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN projects p ON p.id = r.project_id"
)
COUNT = text(f"SELECT count(*) FROM (SELECT 1 FROM requisitions LIMIT {COUNT_CAP + 1}) c")
COUNT_OWN = text(
    f"SELECT count(*) FROM (SELECT 1 FROM requisitions WHERE requester_id = :uid"
    f" LIMIT {COUNT_CAP + 1}) c"
)
# The page is cut first; item counts are computed for its 20 rows only.
PAGE = text(
    f"SELECT {_LIST_COLUMNS}, (SELECT count(*) FROM requisition_items i"
    " WHERE i.requisition_id = r.id) AS item_count"
    " FROM (SELECT * FROM requisitions ORDER BY created_at DESC, id DESC"
    f" LIMIT :limit OFFSET :offset) r {_JOINS} ORDER BY r.created_at DESC, r.id DESC"
)
PAGE_OWN = text(
    f"SELECT {_LIST_COLUMNS}, (SELECT count(*) FROM requisition_items i"
    " WHERE i.requisition_id = r.id) AS item_count"
    " FROM (SELECT * FROM requisitions WHERE requester_id = :uid"
    " ORDER BY created_at DESC, id DESC"
    f" LIMIT :limit OFFSET :offset) r {_JOINS} ORDER BY r.created_at DESC, r.id DESC"
)
DETAIL = text(f"SELECT {_LIST_COLUMNS} FROM requisitions r {_JOINS} WHERE r.id = :id")
ITEMS = text(
    "SELECT i.id, i.line_no, i.description, i.item_id, i.quantity, i.uom,"
    " i.estimated_unit_price, i.line_total, i.suggested_supplier_id, i.po_line_id,"
    " i.sourcing_status, s.code AS supplier_code, s.name AS supplier_name,"
    " c.sku AS catalog_sku, c.name AS catalog_name"
    " FROM requisition_items i LEFT JOIN suppliers s ON s.id = i.suggested_supplier_id"
    " LEFT JOIN items c ON c.id = i.item_id WHERE i.requisition_id = :id ORDER BY i.line_no"
)
STEPS = text(
    "SELECT s.id, s.round, s.sequence, s.kind, s.label, s.role, s.approver_id, s.status,"
    " s.due_at, s.activated_at, s.decided_by_id, s.decided_at, s.on_behalf_of_id, s.comment,"
    " ap.full_name AS approver_name, db.full_name AS decided_by_name,"
    " ob.full_name AS on_behalf_of_name"
    " FROM approval_steps s LEFT JOIN users ap ON ap.id = s.approver_id"
    " LEFT JOIN users db ON db.id = s.decided_by_id"
    " LEFT JOIN users ob ON ob.id = s.on_behalf_of_id"
    " WHERE s.document_type = 'requisition' AND s.document_id = :id"
    " ORDER BY s.round, s.sequence"
)
UPDATE = text(
    "UPDATE requisitions SET justification = :justification, purpose = :purpose,"
    " total_amount = :total, updated_at = now(), version = version + 1"
    " WHERE id = :id AND version = :version AND requester_id = :uid"
    " AND status IN ('Draft', 'Questioned') RETURNING version"
)
DELETE_ITEMS = text("DELETE FROM requisition_items WHERE requisition_id = :id")
INSERT_ITEM = text(
    "INSERT INTO requisition_items (requisition_id, line_no, description, quantity, uom,"
    " estimated_unit_price, line_total, sourcing_status)"
    " VALUES (:id, :line_no, :description, :quantity, :uom, :price, :total, 'Unsourced')"
)

app = Flask(__name__)
_engine: Any = None


def engine() -> Any:
    """One pool per worker process, created after the fork."""
    global _engine
    if _engine is None:
        _engine = create_engine(
            os.environ["FLOOR_DATABASE_URL"],
            pool_size=int(os.environ.get("FLOOR_DB_POOL_SIZE", "10")),
            max_overflow=20,
        )
    return _engine


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(row: Any) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row._mapping.items()}


def ok(data: Any, status: int = 200) -> Any:
    body = {
        "success": True,
        "data": data,
        "message": "OK",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "request_id": "req-" + uuid.uuid4().hex[:16],
    }
    return jsonify(body), status


def fail(status: int, code: str) -> Any:
    return jsonify({"success": False, "error": {"code": code}}), status


def authenticate(conn: Any) -> dict[str, Any] | None:
    """The token's signature and claims, then one read of the user that checks it is current."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(
            header[7:],
            os.environ["FLOOR_JWT_SECRET"],
            algorithms=["HS256"],
            audience="erp-users",
            issuer="erp-system",
        )
    except jwt.PyJWTError:
        return None
    user = conn.execute(USER, {"id": int(claims["sub"])}).first()
    if user is None or not user.is_active or user.token_version != claims.get("tv"):
        return None
    return _row(user)


@app.get("/health")
def health() -> Any:
    return jsonify({"status": "ok"})


@app.get("/api/v1/auth/me")
def me() -> Any:
    with engine().connect() as conn:
        user = authenticate(conn)
    if user is None:
        return fail(401, "UNAUTHORIZED")
    user.pop("token_version")
    user["department"] = {
        "id": user["department_id"],
        "name": user.pop("department_name"),
        "code": user.pop("department_code"),
    }
    user["permissions"] = PERMISSIONS.get(user["role"], [])
    return ok({"user": user})


def _list_item(row: Any) -> dict[str, Any]:
    item = _row(row)
    item["requester"] = {
        "id": item["requester_id"],
        "full_name": item.pop("requester_name"),
        "username": item.pop("requester_username"),
    }
    approved_by = item.pop("approved_by_name")
    item["approved_by"] = (
        {"id": item["approved_by_id"], "full_name": approved_by} if approved_by else None
    )
    code, name = item.pop("project_code"), item.pop("project_name")
    item["project"] = {"id": item["project_id"], "code": code, "name": name} if code else None
    return item


@app.get("/api/v1/requisitions")
def requisition_list() -> Any:
    page = max(1, request.args.get("page", 1, type=int))
    per_page = min(100, max(1, request.args.get("per_page", 20, type=int)))
    with engine().connect() as conn:
        user = authenticate(conn)
        if user is None:
            return fail(401, "UNAUTHORIZED")
        own = user["role"] not in SEE_ALL
        args = {"limit": per_page, "offset": (page - 1) * per_page, "uid": user["id"]}
        total = conn.execute(COUNT_OWN if own else COUNT, args).scalar_one()
        rows = conn.execute(PAGE_OWN if own else PAGE, args).all()
    items = [_list_item(r) for r in rows]
    total = min(total, COUNT_CAP)
    meta = {"page": page, "per_page": per_page, "total": total, "pages": -(-total // per_page)}
    return ok({"requisitions": items, "pagination": meta})


def _allowed(requisition: dict[str, Any], steps: list[dict[str, Any]], user: dict) -> list[str]:
    actions: list[str] = []
    if requisition["requester_id"] == user["id"] and requisition["status"] in (
        "Draft",
        "Questioned",
    ):
        actions += ["edit", "submit", "cancel"] + (
            ["delete"] if requisition["status"] == "Draft" else []
        )
    current = next((s for s in steps if s["status"] == "Pending"), None)
    if current is not None and (
        current["approver_id"] == user["id"] or current["role"] == user["role"]
    ):
        actions += ["approve", "reject", "question"]
    return actions


def _detail(conn: Any, requisition_id: int, user: dict[str, Any]) -> dict[str, Any] | None:
    row = conn.execute(DETAIL, {"id": requisition_id}).first()
    if row is None or (user["role"] not in SEE_ALL and row.requester_id != user["id"]):
        return None
    requisition = _list_item(row)
    requisition["items"] = [_row(r) for r in conn.execute(ITEMS, {"id": requisition_id})]
    requisition["item_count"] = len(requisition["items"])
    steps = [_row(r) for r in conn.execute(STEPS, {"id": requisition_id})]
    requisition["approvals"] = steps
    requisition["allowed_actions"] = _allowed(requisition, steps, user)
    return requisition


@app.get("/api/v1/requisitions/<int:requisition_id>")
def requisition_detail(requisition_id: int) -> Any:
    with engine().connect() as conn:
        user = authenticate(conn)
        if user is None:
            return fail(401, "UNAUTHORIZED")
        requisition = _detail(conn, requisition_id, user)
    if requisition is None:
        return fail(404, "NOT_FOUND")
    return ok({"requisition": requisition})


def _items(requisition_id: int, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for line_no, line in enumerate(lines, start=1):
        quantity = Decimal(str(line["quantity"]))
        price = Decimal(str(line["estimated_unit_price"]))
        rows.append(
            {
                "id": requisition_id,
                "line_no": line_no,
                "description": line["description"],
                "quantity": quantity,
                "uom": line.get("uom", "EA"),
                "price": price,
                "total": (quantity * price).quantize(Decimal("0.01")),
            }
        )
    return rows


@app.put("/api/v1/requisitions/<int:requisition_id>")
def requisition_update(requisition_id: int) -> Any:
    """The row under an optimistic lock and its lines replaced, in one transaction."""
    body = request.get_json(silent=True) or {}
    if not isinstance(body.get("version"), int) or not body.get("items"):
        return fail(422, "VALIDATION_FAILED")
    with engine().begin() as conn:
        user = authenticate(conn)
        if user is None:
            return fail(401, "UNAUTHORIZED")
        rows = _items(requisition_id, body["items"])
        version = conn.execute(
            UPDATE,
            {
                "id": requisition_id,
                "version": body["version"],
                "uid": user["id"],
                "justification": str(body.get("justification", "")),
                "purpose": str(body.get("purpose", "Daily Operations")),
                "total": sum((r["total"] for r in rows), Decimal("0")),
            },
        ).scalar()
        if version is None:
            return fail(409, "STALE_VERSION")
        conn.execute(DELETE_ITEMS, {"id": requisition_id})
        conn.execute(INSERT_ITEM, rows)
    # The answer is built from what was written: nothing is read back after the commit.
    written = {key: body.get(key) for key in ("purpose", "justification", "project_id")}
    items = [
        {**r, "estimated_unit_price": r.pop("price"), "line_total": r.pop("total")} for r in rows
    ]
    requisition = {"id": requisition_id, "version": version, **written, "items": items}
    return ok({"requisition": {k: _plain(v) for k, v in requisition.items()}})
