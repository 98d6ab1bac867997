"""Seed a procure-to-pay benchmark database fast with COPY: storekeepers, accountants and
buyers, suppliers, catalog items, storage locations and purchase orders with their goods
receipts, stock ledger, stock balances (equal to the sum of the ledger), invoices and payments.

Two pools are left for the load: Sent POs with every line still open (to receive) and
Received POs without an invoice (to invoice). PO lines carry no requisition item, so
received goods go straight to Available stock.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import bcrypt
import psycopg2

from tests.bench.seed import PASSWORD, WORDS, _copy

TAX_RATE = Decimal("0.0500")
CENT = Decimal("0.01")
LOCATIONS = 20
SUPPLIERS = 200
ITEMS = 5_000


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _users(cur, now: datetime, counts: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    password_hash = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(12)).decode()
    cur.execute(
        "INSERT INTO departments (name, code, is_active, version, created_at, updated_at)"
        " VALUES ('Warehouse','WH',true,1,now(),now()), ('Finance','FIN',true,1,now(),now()),"
        " ('Procurement','PROC',true,1,now(),now()) RETURNING id"
    )
    wh, fin, proc = [r[0] for r in cur.fetchall()]
    plan = {
        "store": ("Warehouse", wh),
        "acct": ("Accountant", fin),
        "buyer": ("Procurement", proc),
    }
    rows = []
    for prefix, count in counts.items():
        role, dept = plan[prefix]
        for i in range(count):
            name = f"{prefix}{i:02d}"
            rows.append(
                (
                    name,
                    f"{name}@bench.example",
                    name.title(),
                    password_hash,
                    "[]",
                    role,
                    dept,
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
        rows,
    )
    cur.execute("SELECT username, id FROM users ORDER BY id")
    by_prefix: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for name, user_id in cur.fetchall():
        by_prefix[name.rstrip("0123456789")].append((name, user_id))
    return by_prefix


def _catalog(cur, rng: random.Random, now: datetime) -> list[tuple[int, str, Decimal]]:
    suppliers = [
        (
            n,
            f"SUP-{n:04d}",
            f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} Supply {n}",
            f"sales{n}@supplier{n}.example",
            rng.choice([14, 30, 30, 45, 60]),
            True,
            1,
            now,
            now,
        )
        for n in range(1, SUPPLIERS + 1)
    ]
    _copy(
        cur,
        "suppliers",
        [
            "id",
            "code",
            "name",
            "contact_email",
            "payment_terms_days",
            "is_active",
            "version",
            "created_at",
            "updated_at",
        ],
        suppliers,
    )
    items, catalog = [], []
    for n in range(1, ITEMS + 1):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        size = rng.randint(100, 9999)
        sku = f"{a[:3].upper()}-{size}-{n:04d}"
        name = f"{a} {b} {size}"
        price = Decimal(rng.randint(100, 50_000)) / 100
        items.append(
            (
                n,
                sku,
                name,
                f"{a.title()} for {b} assemblies, size {size}",
                "EA",
                a,
                rng.choice([0, 0, 5, 10, 20, 50]),
                rng.randint(1, SUPPLIERS),
                price,
                True,
                1,
                now,
                now,
            )
        )
        catalog.append((n, name, price))
    _copy(
        cur,
        "items",
        [
            "id",
            "sku",
            "name",
            "description",
            "uom",
            "category",
            "reorder_level",
            "preferred_supplier_id",
            "last_price",
            "is_active",
            "version",
            "created_at",
            "updated_at",
        ],
        items,
    )
    locations = [
        (
            n,
            f"{'ABCD'[(n - 1) // 5]}-{(n - 1) % 5 + 1:02d}-01",
            f"Zone {'ABCD'[(n - 1) // 5]} aisle {(n - 1) % 5 + 1}",
            True,
            1,
            now,
            now,
        )
        for n in range(1, LOCATIONS + 1)
    ]
    _copy(
        cur,
        "storage_locations",
        ["id", "code", "name", "is_active", "version", "created_at", "updated_at"],
        locations,
    )
    return catalog


PO_COLUMNS = [
    "id",
    "po_number",
    "supplier_id",
    "status",
    "subtotal",
    "tax_rate",
    "tax_amount",
    "total_amount",
    "delivery_address",
    "expected_delivery_date",
    "created_by_id",
    "submitted_at",
    "submitted_by_id",
    "approved_by_id",
    "approved_at",
    "sent_at",
    "received_at",
    "closed_at",
    "cancelled_at",
    "version",
    "created_at",
    "updated_at",
]


COLUMNS = {
    "purchase_orders": PO_COLUMNS,
    "purchase_order_lines": [
        "id",
        "po_id",
        "line_no",
        "item_id",
        "description",
        "quantity",
        "uom",
        "unit_price",
        "line_total",
        "quantity_received",
    ],
    "goods_receipts": [
        "id",
        "grn_number",
        "po_id",
        "status",
        "received_at",
        "received_by_id",
        "version",
        "created_at",
        "updated_at",
    ],
    "goods_receipt_lines": [
        "id",
        "receipt_id",
        "po_line_id",
        "item_id",
        "stock_key",
        "description",
        "uom",
        "quantity",
        "condition",
        "location_id",
        "status",
    ],
    "stock_ledger": [
        "id",
        "operation_id",
        "entry_type",
        "stock_key",
        "item_id",
        "location_id",
        "status",
        "quantity",
        "reference",
        "receipt_id",
        "po_line_id",
        "actor_id",
        "created_at",
    ],
    "invoices": [
        "id",
        "inv_number",
        "invoice_number",
        "supplier_id",
        "po_id",
        "status",
        "invoice_date",
        "due_date",
        "subtotal",
        "tax_amount",
        "total_amount",
        "amount_paid",
        "recorded_by_id",
        "matched_at",
        "version",
        "created_at",
        "updated_at",
    ],
    "invoice_lines": [
        "id",
        "invoice_id",
        "line_no",
        "po_line_id",
        "description",
        "quantity",
        "unit_price",
        "line_total",
        "match_reasons",
    ],
    "payments": [
        "id",
        "payment_number",
        "invoice_id",
        "supplier_id",
        "amount",
        "paid_on",
        "method",
        "recorded_by_id",
        "created_at",
        "updated_at",
    ],
}
BALANCE_COLUMNS = [
    "stock_key",
    "item_id",
    "po_line_id",
    "description",
    "uom",
    "location_id",
    "status",
    "quantity",
    "updated_at",
]
# Document number prefix of each numbered table.
PREFIXES = {"purchase_orders": "PO", "goods_receipts": "GRN", "invoices": "INV", "payments": "PAY"}


class _Builder:
    """Rows of every table, built PO by PO; ids are the row counts."""

    def __init__(self, rng: random.Random, now: datetime, users: dict, catalog: list) -> None:
        self.rng, self.now, self.year, self.catalog = rng, now, now.year, catalog
        self.store_ids = [u for _, u in users["store"]]
        self.acct_ids = [u for _, u in users["acct"]]
        self.buyer_ids = [u for _, u in users["buyer"]]
        self.rows: dict[str, list] = {table: [] for table in COLUMNS}
        self.balances: dict[tuple[str, int], list] = {}
        self.to_receive: list[tuple[int, list]] = []
        self.to_invoice: list[tuple[int, list]] = []

    def next_id(self, table: str) -> int:
        return len(self.rows[table]) + 1

    def _lines(self, po_id: int) -> list[list]:
        lines = []
        for line_no in range(1, self.rng.randint(1, 6) + 1):
            qty = Decimal(self.rng.randint(1, 50))
            if self.rng.random() < 0.6:
                item_id, desc, price = self.rng.choice(self.catalog)
            else:
                item_id = None
                desc = f"{self.rng.choice(WORDS)} {self.rng.choice(WORDS)} "
                desc += str(self.rng.randint(100, 9999))
                price = Decimal(self.rng.randint(100, 90_000)) / 100
            line_id = self.next_id("purchase_order_lines") + len(lines)
            lines.append([line_id, po_id, line_no, item_id, desc, qty, price, _money(qty * price)])
        return lines

    def po(self, n: int, created: datetime, status: str, invoiced: bool) -> None:
        supplier, buyer = self.rng.randint(1, SUPPLIERS), self.rng.choice(self.buyer_ids)
        lines = self._lines(n)
        subtotal = sum((x[7] for x in lines), Decimal("0"))
        tax = _money(subtotal * TAX_RATE)
        drafted = status == "Draft"
        approved = None if drafted else created + timedelta(hours=4)
        sent = created + timedelta(hours=6) if status in ("Sent", "Received", "Closed") else None
        received = None
        if status in ("Received", "Closed"):
            received = min(created + timedelta(days=7), self.now - timedelta(minutes=1))
        closed = min(received + timedelta(days=20), self.now) if status == "Closed" else None
        self.rows["purchase_orders"].append(
            (
                n,
                f"PO-{self.year}-{n:05d}",
                supplier,
                status,
                subtotal,
                TAX_RATE,
                tax,
                subtotal + tax,
                "Main warehouse, dock 2",
                (created + timedelta(days=7)).date(),
                buyer,
                None if drafted else created + timedelta(minutes=10),
                None if drafted else buyer,
                None if drafted else buyer,
                approved,
                sent,
                received,
                closed,
                created + timedelta(days=1) if status == "Cancelled" else None,
                1,
                created,
                closed or received or sent or created,
            )
        )
        for x in lines:
            received_qty = x[5] if received else Decimal("0")
            self.rows["purchase_order_lines"].append((*x[:5], x[5], "EA", *x[6:8], received_qty))
        if status == "Sent":
            self.to_receive.append((n, [self._receive_line(x) for x in lines]))
        if received:
            self._receipt(n, lines, received)
            if invoiced:
                self._invoice(n, supplier, lines, subtotal, tax, received, closed)
            else:
                self.to_invoice.append((n, [self._invoice_line(x) for x in lines]))

    def _receive_line(self, x: list) -> dict:
        location = self.rng.randint(1, LOCATIONS)
        return {
            "po_line_id": x[0],
            "quantity": str(x[5]),
            "condition": "Good",
            "location_id": location,
        }

    @staticmethod
    def _invoice_line(x: list) -> dict:
        return {"po_line_id": x[0], "quantity": str(x[5]), "unit_price": str(x[6])}

    def _receipt(self, po_id: int, lines: list[list], received: datetime) -> None:
        grn_id = self.next_id("goods_receipts")
        grn_number = f"GRN-{self.year}-{grn_id:05d}"
        keeper = self.rng.choice(self.store_ids)
        self.rows["goods_receipts"].append(
            (grn_id, grn_number, po_id, "Accepted", received, keeper, 1, received, received)
        )
        operation = str(uuid.uuid4())
        for x in lines:
            location = self.rng.randint(1, LOCATIONS)
            key = f"item:{x[3]}" if x[3] else f"po-line:{x[0]}"
            self.rows["goods_receipt_lines"].append(
                (
                    self.next_id("goods_receipt_lines"),
                    grn_id,
                    x[0],
                    x[3],
                    key,
                    x[4],
                    "EA",
                    x[5],
                    "Good",
                    location,
                    "Stocked",
                )
            )
            self.rows["stock_ledger"].append(
                (
                    self.next_id("stock_ledger"),
                    operation,
                    "receipt",
                    key,
                    x[3],
                    location,
                    "Available",
                    x[5],
                    grn_number,
                    grn_id,
                    x[0],
                    keeper,
                    received,
                )
            )
            slot = self.balances.setdefault(
                (key, location), [x[3], None if x[3] else x[0], x[4][:500], Decimal("0")]
            )
            slot[3] += x[5]

    def _invoice(self, po_id, supplier, lines, subtotal, tax, received, closed) -> None:
        inv_id = self.next_id("invoices")
        accountant = self.rng.choice(self.acct_ids)
        inv_date = received.date()
        paid = closed is not None
        total = subtotal + tax
        self.rows["invoices"].append(
            (
                inv_id,
                f"INV-{self.year}-{inv_id:05d}",
                f"SI-{po_id:07d}",
                supplier,
                po_id,
                "Paid" if paid else self.rng.choice(["Matched", "Approved"]),
                inv_date,
                inv_date + timedelta(days=30),
                subtotal,
                tax,
                total,
                total if paid else Decimal("0"),
                accountant,
                received,
                1,
                received,
                closed or received,
            )
        )
        for no, x in enumerate(lines, start=1):
            self.rows["invoice_lines"].append(
                (self.next_id("invoice_lines"), inv_id, no, x[0], x[4], x[5], x[6], x[7], "[]")
            )
        if paid:
            pay_id = self.next_id("payments")
            self.rows["payments"].append(
                (
                    pay_id,
                    f"PAY-{self.year}-{pay_id:05d}",
                    inv_id,
                    supplier,
                    total,
                    closed.date(),
                    "Bank Transfer",
                    accountant,
                    closed,
                    closed,
                )
            )

    def write(self, cur) -> None:
        for table, rows in self.rows.items():
            _copy(cur, table, COLUMNS[table], rows)
        _copy(
            cur,
            "stock_balances",
            BALANCE_COLUMNS,
            (
                (key, item, po_line, desc, "EA", location, "Available", qty, self.now)
                for (key, location), (item, po_line, desc, qty) in self.balances.items()
            ),
        )
        last = {table: len(rows) for table, rows in self.rows.items()}
        last.update({"suppliers": SUPPLIERS, "items": ITEMS, "storage_locations": LOCATIONS})
        for table, value in last.items():
            cur.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (table, max(value, 1))
            )
        for table, prefix in PREFIXES.items():
            cur.execute(
                "INSERT INTO document_sequences (prefix, year, last_value) VALUES (%s, %s, %s)",
                (prefix, self.year, last[table]),
            )


def _status(rng: random.Random, n: int, open_from: int, uninvoiced_from: int) -> str:
    if n >= open_from:
        return "Sent"
    if n >= uninvoiced_from:
        return "Received"
    return rng.choices(["Closed", "Received", "Approved", "Cancelled", "Draft"], [70, 24, 2, 2, 2])[
        0
    ]


def seed(dsn: str, pos: int = 100_000, pool: int = 3_000, seed_value: int = 11) -> dict:
    """Returns the users, the two pools (with the request bodies' lines) and row counts."""
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    users = _users(cur, now, {"store": 15, "acct": 15, "buyer": 5})
    builder = _Builder(rng, now, users, _catalog(cur, rng, now))
    pool = min(pool, pos // 10)
    # The most recent POs form the pools: the last `pool` are Sent, the `pool` before
    # them Received without an invoice.
    open_from = pos - pool + 1
    uninvoiced_from = open_from - pool
    span = 365 * 24 * 60
    for n in range(1, pos + 1):
        # Older POs first: created times grow with the id, like the real sequence.
        created = now - timedelta(minutes=span * (pos - n) / pos + rng.randrange(60))
        status = _status(rng, n, open_from, uninvoiced_from)
        builder.po(n, created, status, invoiced=n < uninvoiced_from)
    builder.write(cur)
    conn.commit()
    conn.autocommit = True
    cur.execute("ANALYZE")
    conn.close()
    rng.shuffle(builder.to_receive)
    rng.shuffle(builder.to_invoice)
    rows = builder.rows
    return {
        "users": {k: [name for name, _ in v] for k, v in users.items()},
        "to_receive": builder.to_receive,
        "to_invoice": builder.to_invoice,
        "skus": [f"{w[:3].upper()}-{rng.randint(10, 99)}" for w in WORDS],
        "words": WORDS,
        "counts": {
            "pos": pos,
            "po_lines": len(rows["purchase_order_lines"]),
            "receipts": len(rows["goods_receipts"]),
            "ledger": len(rows["stock_ledger"]),
            "balances": len(builder.balances),
            "invoices": len(rows["invoices"]),
            "payments": len(rows["payments"]),
            "items": ITEMS,
            "suppliers": SUPPLIERS,
            "locations": LOCATIONS,
            "open_pool": len(builder.to_receive),
            "uninvoiced_pool": len(builder.to_invoice),
        },
    }
