"""``flask seed-demo-data``: a small manufacturer's master data, through the import code —
~40 suppliers, ~500 catalog items in categories, 6 projects with budgets, 12 storage
locations with opening stock. Safe to run twice (a second run finds every row unchanged)."""

from __future__ import annotations

import csv
import io
from typing import Any

import click
from flask import Flask
from sqlalchemy import select

from reqflow.documents.demo import add_demo_documents
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.imports import service
from reqflow.imports.demo_documents import seed_documents
from reqflow.purchasing.models import PurchaseOrder
from reqflow.requisitions.models import Requisition

SUPPLIER_NAMES = [
    "Apex Bearings", "Baltic Fasteners", "Cobalt Electric", "Delta Pneumatics", "Eagle Hydraulics",
    "Falcon Safety", "Granite Tools", "Harbor Lubricants", "Ironside Steel", "Juniper Packaging",
    "Keystone Motors", "Lakeside Plastics", "Meridian Cables", "Northwind Valves", "Orion Sensors",
    "Pioneer Abrasives", "Quantum Controls", "Redwood Pallets", "Summit Welding", "Titan Castings",
    "Unity Filters", "Vertex Seals", "Westfield Chains", "Xenon Lighting", "Yardley Gears",
    "Zenith Paints", "Atlas Springs", "Beacon Adhesives", "Crest Hoses", "Dynamo Drives",
    "Ember Heaters", "Fjord Pumps", "Glacier Coolants", "Horizon Belts", "Indigo Labels",
    "Jetstream Compressors", "Kestrel Couplings", "Lumen Switches", "Mosaic Tapes", "Nimbus Gloves",
]  # fmt: skip

# category, item stem, sizes/variants, unit
CATALOG = [
    ("Bearings", "Ball bearing", ["6200", "6201", "6202", "6203", "6204", "6205", "6206",
                                  "6300", "6301", "6302", "6303", "6304", "6305"], "EA"),
    ("Fasteners", "Hex bolt", ["M5x20", "M6x20", "M6x30", "M8x20", "M8x30", "M8x40", "M10x30",
                               "M10x50", "M12x40", "M12x60", "M16x60", "M16x80"], "BOX"),
    ("Fasteners", "Hex nut", ["M5", "M6", "M8", "M10", "M12", "M16", "M20"], "BOX"),
    ("Fasteners", "Washer", ["M5", "M6", "M8", "M10", "M12", "M16", "M20"], "BOX"),
    ("Electrical", "Cable", ["1.5mm2", "2.5mm2", "4mm2", "6mm2", "10mm2", "16mm2"], "M"),
    ("Electrical", "Contactor", ["9A", "12A", "18A", "25A", "32A", "40A"], "EA"),
    ("Electrical", "Circuit breaker", ["6A", "10A", "16A", "20A", "25A", "32A"], "EA"),
    ("Pneumatics", "Cylinder", ["16x50", "20x100", "25x100", "32x160", "40x200", "50x250"], "EA"),
    ("Pneumatics", "Push-in fitting", ["4mm", "6mm", "8mm", "10mm", "12mm"], "EA"),
    ("Hydraulics", "Hose", ["DN6", "DN8", "DN10", "DN12", "DN16", "DN20"], "M"),
    ("Hydraulics", "Valve", ["NG6", "NG10", "NG16", "NG25"], "EA"),
    ("Safety", "Gloves", ["S", "M", "L", "XL"], "BOX"),
    ("Safety", "Safety glasses", ["clear", "tinted"], "EA"),
    ("Tools", "Drill bit", ["3mm", "4mm", "5mm", "6mm", "8mm", "10mm", "12mm"], "EA"),
    ("Tools", "End mill", ["4mm", "6mm", "8mm", "10mm", "12mm", "16mm"], "EA"),
    ("Lubricants", "Grease", ["EP2 400g", "EP2 18kg", "food-grade 400g"], "EA"),
    ("Lubricants", "Hydraulic oil", ["HLP32 20L", "HLP46 20L", "HLP68 20L"], "L"),
    ("Packaging", "Carton", ["300x200x200", "400x300x300", "600x400x400"], "EA"),
    ("Raw materials", "Steel sheet", ["1mm", "1.5mm", "2mm", "3mm", "4mm", "5mm"], "KG"),
    ("Raw materials", "Aluminium bar", ["10mm", "20mm", "30mm", "40mm", "50mm"], "KG"),
]  # fmt: skip
GRADES = ["standard", "premium", "heavy-duty", "stainless", "economy"]

PROJECTS = [
    ("LINE-4", "Assembly line 4 retrofit", "250000.00", "procmgr"),
    ("ROBOT-CELL", "Robot welding cell", "180000.00", "leadeng"),
    ("PAINT-SHOP", "Paint shop extraction", "95000.00", "leadeng"),
    ("WAREHOUSE-X", "Warehouse racking extension", "60000.00", "procmgr"),
    ("SOLAR-ROOF", "Solar roof on hall B", "320000.00", "procmgr"),
    ("QA-LAB", "Quality lab equipment", "75000.00", "leadeng"),
]


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def suppliers() -> bytes:
    rows: list[list[Any]] = [["code", "name", "contact_email", "payment_terms_days", "tax_id"]]
    for n, name in enumerate(SUPPLIER_NAMES, start=1):
        code = f"SUP-{n:03d}"
        mail = f"orders@{name.split()[0].lower()}.example"
        rows.append([code, f"{name} Ltd", mail, (30, 45, 60, 14)[n % 4], f"TX-{100000 + n * 7}"])
    return _csv(rows)


def item_rows() -> list[list[Any]]:
    rows: list[list[Any]] = []
    for g, grade in enumerate(GRADES):  # every category first, then more grades of each
        for c, (category, stem, sizes, uom) in enumerate(CATALOG):
            for size in sizes:
                n = len(rows) + 1
                sku = f"{category[:3].upper()}-{c:02d}{n:04d}"
                price = f"{(n * 37 % 900 + 50) / 10:.2f}"
                supplier = f"SUP-{(c * 3 + g) % len(SUPPLIER_NAMES) + 1:03d}"
                name = f"{stem} {size} ({grade})"
                rows.append([sku, name, category, uom, str(5 + n % 20), supplier, price])
    return rows[:500]


def items() -> bytes:
    header = ["sku", "name", "category", "uom", "reorder_level", "preferred_supplier_code"]
    return _csv([[*header, "last_price"], *item_rows()])


def locations() -> list[str]:
    return [
        f"{zone}-{aisle:02d}-{bin_:02d}" for zone in "ABC" for aisle in (1, 2) for bin_ in (1, 2)
    ]


def locations_file() -> bytes:
    rows: list[list[Any]] = [["code", "name", "capacity"]]
    for code in locations():
        rows.append([code, f"Zone {code[0]}, aisle {code[2:4]}, bin {code[5:]}", "5000"])
    return _csv(rows)


def stock() -> bytes:
    rows: list[list[Any]] = [["item_sku", "location_code", "quantity", "unit_cost"]]
    codes = locations()
    for n, row in enumerate(item_rows()[:300]):
        rows.append([row[0], codes[n % len(codes)], str(10 + n * 13 % 190), row[6]])
    return _csv(rows)


def projects() -> bytes:
    header = ["code", "name", "budget_amount", "owner_username"]
    return _csv([header, *[list(p) for p in PROJECTS]])


def seed_master_data() -> dict[str, dict[str, int]]:
    """Import the demo master data as the users who would (buyer's manager, storekeeper)."""
    procmgr = db.session.scalars(select(User).where(User.username == "procmgr")).one()
    store = db.session.scalars(select(User).where(User.username == "storekeeper")).one()
    plan = [
        (procmgr, "suppliers", suppliers()),
        (procmgr, "items", items()),
        (procmgr, "projects", projects()),
        (store, "locations", locations_file()),
        (store, "stock", stock()),
    ]
    done = {}
    for actor, kind, data in plan:
        imp = service.import_now(actor=actor, kind=kind, filename=f"demo-{kind}.csv", data=data)
        done[kind] = dict(imp.counts)
    return done


def seed_discussions() -> int:
    """Attachments and a comment thread on the three oldest requisitions (the engineer asks,
    the line manager answers) and the two oldest purchase orders (buyer and manager)."""
    people = {u.username: u for u in db.session.scalars(select(User))}
    reqs = db.session.scalars(select(Requisition.id).order_by(Requisition.id).limit(3)).all()
    pos = db.session.scalars(select(PurchaseOrder.id).order_by(PurchaseOrder.id).limit(2)).all()
    add_demo_documents(
        documents=[("requisition", i) for i in reqs],
        author=people["engineer"],
        replier=people["leadeng"],
    )
    add_demo_documents(
        documents=[("purchase_order", i) for i in pos],
        author=people["buyer"],
        replier=people["procmgr"],
    )
    db.session.commit()
    return len(reqs) + len(pos)


def register_demo_cli(app: Flask) -> None:
    @app.cli.command("seed-demo-data")
    def seed_demo_data_command() -> None:
        """Demo master data through the import code (run after seed-demo); safe to repeat."""
        for kind, counts in seed_master_data().items():
            click.echo(f"Demo {kind}: {counts}")
        created = seed_documents()
        click.echo(f"Demo requisitions created: {created}")
        if created:  # a first seed: quotes, price lists and a thread on a few documents
            click.echo(f"Demo documents with attachments: {seed_discussions()}")
