"""Seed a benchmark database fast with COPY: users, 100 000 requisitions, ~500 000 items,
and pending approval steps for the submitted ones."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import bcrypt
import psycopg2

WORDS = [
    "bearing",
    "hose",
    "valve",
    "sensor",
    "cable",
    "relay",
    "motor",
    "pump",
    "filter",
    "gasket",
    "bolt",
    "nut",
    "washer",
    "spring",
    "belt",
    "pulley",
    "gear",
    "seal",
    "clamp",
    "fuse",
    "switch",
    "lamp",
    "paint",
    "glove",
    "drill",
    "bit",
    "coupling",
    "bracket",
    "nozzle",
    "chain",
    "sprocket",
]
PASSWORD = "Bench-Harbor-Quartz-2026"


def _copy(cur, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    cur.copy_from(buffer, table, columns=columns)


def seed(dsn: str, requisitions: int = 100_000, seed_value: int = 7) -> dict:
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    password_hash = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(12)).decode()
    cur.execute(
        "INSERT INTO departments (name, code, is_active, version, created_at, updated_at)"
        " VALUES ('Engineering','ENG',true,1,now(),now()),"
        " ('Procurement','PROC',true,1,now(),now()) RETURNING id"
    )
    eng, proc = [r[0] for r in cur.fetchall()]
    users = []
    leads = [f"lead{i:02d}" for i in range(20)]
    engineers = [f"eng{i:03d}" for i in range(200)]
    buyers = [f"buyer{i}" for i in range(5)]
    for name in leads + engineers + buyers + ["procmgr0"]:
        role = (
            "Procurement"
            if name.startswith("buyer")
            else "ProcurementMgr"
            if name.startswith("procmgr")
            else "Engineer"
        )
        users.append(
            (
                name,
                f"{name}@bench.example",
                name.title(),
                password_hash,
                "[]",
                role,
                proc if role != "Engineer" else eng,
                True,
                0,
                1,
                1,
                now,
                now,
            )
        )
    _copy(
        cur,
        "users",
        [
            "username",
            "email",
            "full_name",
            "password_hash",
            "password_history",
            "role",
            "department_id",
            "is_active",
            "failed_login_count",
            "token_version",
            "version",
            "created_at",
            "updated_at",
        ],
        users,
    )
    cur.execute("SELECT username, id FROM users")
    ids = dict(cur.fetchall())
    for i, name in enumerate(engineers):
        cur.execute(
            "UPDATE users SET manager_id = %s WHERE id = %s", (ids[leads[i % 20]], ids[name])
        )

    req_rows, item_rows, step_rows, pending = [], [], [], []
    statuses = ["Approved"] * 6 + ["Submitted"] * 2 + ["Draft", "Rejected"]
    item_id = 0
    for n in range(1, requisitions + 1):
        requester = engineers[rng.randrange(200)]
        status = rng.choice(statuses)
        created = now - timedelta(minutes=rng.randrange(0, 525_600))
        lines, total = [], Decimal("0")
        for line_no in range(1, rng.randint(3, 7) + 1):
            qty = Decimal(rng.randint(1, 40))
            price = Decimal(rng.randint(100, 90_000)) / 100
            line_total = (qty * price).quantize(Decimal("0.01"))
            total += line_total
            item_id += 1
            desc = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.randint(100, 9999)}"
            lines.append((n, line_no, desc, qty, "EA", price, line_total, "Unsourced"))
        item_rows.extend(lines)
        submitted = created + timedelta(minutes=5) if status != "Draft" else None
        approved = submitted + timedelta(hours=20) if status == "Approved" else None
        req_rows.append(
            (
                n,
                f"REQ-{created.year}-{n:06d}",
                ids[requester],
                eng,
                "Daily Operations",
                f"For {rng.choice(WORDS)} maintenance on line {rng.randint(1, 12)}",
                status,
                total,
                False,
                submitted,
                approved,
                ids[buyers[0]] if approved else None,
                1,
                created,
                created,
            )
        )
        if status == "Submitted":
            manager = ids[leads[engineers.index(requester) % 20]]
            pending.append((n, manager, ids[requester]))
            step_rows.append(
                (
                    "requisition",
                    n,
                    f"REQ-{created.year}-{n:06d}",
                    "bench",
                    total,
                    ids[requester],
                    1,
                    1,
                    "line_manager",
                    None,
                    manager,
                    "Line manager",
                    "Pending",
                    now + timedelta(days=2),
                    submitted,
                    1,
                    now,
                    now,
                )
            )
            step_rows.append(
                (
                    "requisition",
                    n,
                    f"REQ-{created.year}-{n:06d}",
                    "bench",
                    total,
                    ids[requester],
                    1,
                    2,
                    "role",
                    "Procurement",
                    None,
                    "Procurement review",
                    "Waiting",
                    None,
                    None,
                    1,
                    now,
                    now,
                )
            )
    _copy(
        cur,
        "requisitions",
        [
            "id",
            "req_number",
            "requester_id",
            "department_id",
            "purpose",
            "justification",
            "status",
            "total_amount",
            "over_budget",
            "submitted_at",
            "approved_at",
            "approved_by_id",
            "version",
            "created_at",
            "updated_at",
        ],
        req_rows,
    )
    _copy(
        cur,
        "requisition_items",
        [
            "requisition_id",
            "line_no",
            "description",
            "quantity",
            "uom",
            "estimated_unit_price",
            "line_total",
            "sourcing_status",
        ],
        item_rows,
    )
    _copy(
        cur,
        "approval_steps",
        [
            "document_type",
            "document_id",
            "document_number",
            "document_title",
            "amount",
            "requester_id",
            "round",
            "sequence",
            "kind",
            "role",
            "approver_id",
            "label",
            "status",
            "due_at",
            "activated_at",
            "version",
            "created_at",
            "updated_at",
        ],
        step_rows,
    )
    cur.execute("SELECT setval(pg_get_serial_sequence('requisitions', 'id'), %s)", (requisitions,))
    cur.execute(
        "INSERT INTO document_sequences (prefix, year, last_value) VALUES ('REQ', %s, %s)",
        (now.year, requisitions),
    )
    # COPY bypassed the ORM, which keeps the dashboard's counters: compute them once.
    from reqflow.reporting.counters import aggregates_sql

    cur.execute("DELETE FROM dashboard_counters")
    cur.execute(
        "INSERT INTO dashboard_counters (key, bucket, value) " + aggregates_sql("postgresql")
    )
    conn.commit()
    cur.execute("ANALYZE")
    conn.commit()
    conn.close()
    return {
        "users": {"engineers": engineers, "leads": leads, "buyers": buyers},
        "pending": pending,
        "items": len(item_rows),
        "requisitions": requisitions,
        "ids": ids,
        "words": WORDS,
    }
