"""Property test of the stock ledger against the real PostgreSQL test database.

A hypothesis state machine drives the inventory service functions (receipts, acceptance,
rejection, transfers, adjustments, issues) with random quantities and locations, keeps its
own model of every balance, and checks after each step that
- no balance is ever negative and every balance equals the sum of its ledger rows;
- the balances are exactly the model's: a refused operation raised and changed nothing;
- each PO line's received quantity is the model's and never above the ordered quantity.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from reqflow.catalog.models import Item, Supplier
from reqflow.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import service, stock
from reqflow.inventory.ledger import InsufficientStock, StockBalance, StockLedgerEntry
from reqflow.inventory.models import StorageLocation
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine
from reqflow.requisitions.models import Requisition, RequisitionItem
from tests.conftest import PASSWORD, truncate_all

ORDERED = Decimal("40")
PENDING, AVAILABLE = "Pending Acceptance", "Available"
quantities = st.one_of(
    st.integers(1, 25).map(Decimal),
    st.integers(1, 45_000).map(lambda n: Decimal(n) / 1000),
)
signed = st.one_of(quantities, quantities.map(lambda q: -q))


def _user(name: str, role: str) -> int:
    from reqflow.identity import service as identity

    data = {
        "username": name,
        "email": f"{name}@example.com",
        "full_name": name.title(),
        "password": PASSWORD,
        "role": role,
    }
    return identity.create_user(actor=None, data=data).id


def _world() -> dict:
    """Users, two catalog items, three locations and a Sent PO of three lines of 40: item A
    requisitioned, a free-text line requisitioned, item B ordered without a requisition."""
    store, requester = _user("storekeeper", "Warehouse"), _user("engineer", "Engineer")
    supplier = Supplier(code="ACME", name="Acme")
    items = [Item(sku="A-1", name="Bearing"), Item(sku="B-2", name="Belt")]
    locations = [StorageLocation(code=f"A-01-0{i}", name=f"Bin {i}") for i in range(1, 4)]
    db.session.add_all([supplier, *items, *locations])
    db.session.flush()
    req = Requisition(
        req_number="REQ-T-1",
        requester_id=requester,
        purpose="Daily Operations",
        justification="Property test",
        status="Approved",
        total_amount=Decimal("0"),
        items=[
            RequisitionItem(line_no=n, description=d, item_id=i, quantity=ORDERED,
                            estimated_unit_price=Decimal("1"), line_total=ORDERED)
            for n, d, i in ((1, "Bearing", items[0].id), (2, "Gasket kit", None))
        ],
    )  # fmt: skip
    db.session.add(req)
    db.session.flush()
    specs = [
        (req.items[0].id, items[0].id, "Bearing"),
        (req.items[1].id, None, "Gasket kit"),
        (None, items[1].id, "Belt"),
    ]
    po = PurchaseOrder(
        po_number="PO-T-1",
        supplier_id=supplier.id,
        status="Sent",
        lines=[
            PurchaseOrderLine(line_no=n, requisition_item_id=r, item_id=i, description=d,
                              quantity=ORDERED, unit_price=Decimal("1"), line_total=ORDERED)
            for n, (r, i, d) in enumerate(specs, start=1)
        ],
    )  # fmt: skip
    db.session.add(po)
    db.session.commit()
    return {
        "store": store,
        "requester": requester,
        "items": [i.id for i in items],
        "locations": [loc.id for loc in locations],
        "po": po.id,
        "lines": [line.id for line in po.lines],
        "keys": [f"item:{items[0].id}", f"po-line:{po.lines[1].id}", f"item:{items[1].id}"],
        "requisitioned": [True, True, False],
    }


class StockLedgerMachine(RuleBasedStateMachine):
    receipts = Bundle("receipts")

    def __init__(self, app):
        super().__init__()
        self.app = app
        truncate_all(app)
        self.w = _world()
        self.model: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
        self.received = [Decimal("0")] * 3
        self.decided: set[int] = set()
        self.refused = 0

    def teardown(self):
        db.session.rollback()
        truncate_all(self.app)

    def _actor(self, key: str) -> User:
        return db.session.get(User, self.w[key])

    def _attempt(self, call, expect_refusal: type[DomainError] | None) -> object | None:
        """Run ``call``; a refusal must be the expected one and leave everything unchanged."""
        before = self._snapshot()
        try:
            result = call()
        except DomainError as exc:
            db.session.rollback()
            assert expect_refusal is not None and isinstance(exc, expect_refusal), exc
            assert self._snapshot() == before
            self.refused += 1
            event(f"refused: {type(exc).__name__}")
            return None
        assert expect_refusal is None, f"expected {expect_refusal.__name__}"
        return result

    def _snapshot(self):
        ledger = db.session.scalar(select(func.count(StockLedgerEntry.id)))
        balances = db.session.execute(
            select(StockBalance.stock_key, StockBalance.location_id, StockBalance.status,
                   StockBalance.quantity).order_by(StockBalance.id)
        ).all()  # fmt: skip
        received = db.session.scalars(
            select(PurchaseOrderLine.quantity_received).order_by(PurchaseOrderLine.id)
        ).all()
        db.session.rollback()
        return ledger, [tuple(b) for b in balances], list(received)

    @rule(target=receipts, line=st.integers(0, 2), qty=quantities, loc=st.integers(0, 2))
    def receive(self, line, qty, loc):
        full = all(r >= ORDERED for r in self.received)
        over = self.received[line] + qty > ORDERED
        expect = InvalidTransition if full else ValidationFailed if over else None
        data = {
            "po_id": self.w["po"],
            "lines": [{"po_line_id": self.w["lines"][line], "quantity": qty,
                       "condition": "Good", "location_id": self.w["locations"][loc]}],
        }  # fmt: skip
        receipt = self._attempt(
            lambda: service.receive(actor=self._actor("store"), data=data), expect
        )
        if receipt is None:
            return multiple()
        self.received[line] += qty
        status = PENDING if self.w["requisitioned"][line] else AVAILABLE
        self.model[(self.w["keys"][line], self.w["locations"][loc], status)] += qty
        return (receipt.id, line, qty, loc, self.w["requisitioned"][line])

    def _decide(self, receipt, accept: bool):
        receipt_id, line, qty, loc, requisitioned = receipt
        # Goods nobody requisitioned are no requester's: their receipt is not even visible.
        expect = None if receipt_id not in self.decided else InvalidTransition
        expect = expect if requisitioned else NotFound
        actor = self._actor("requester")
        if accept:
            call = lambda: service.accept(actor=actor, receipt_id=receipt_id)  # noqa: E731
        else:
            call = lambda: service.reject(actor=actor, receipt_id=receipt_id, reason="x")  # noqa: E731
        if self._attempt(call, expect) is None:
            return
        self.decided.add(receipt_id)
        key, location = self.w["keys"][line], self.w["locations"][loc]
        self.model[(key, location, PENDING)] -= qty
        if accept:
            self.model[(key, location, AVAILABLE)] += qty

    @rule(receipt=receipts)
    def accept(self, receipt):
        self._decide(receipt, accept=True)

    @rule(receipt=receipts)
    def reject(self, receipt):
        self._decide(receipt, accept=False)

    def _balance_id(self, key: str, location: int) -> int | None:
        return db.session.scalar(
            select(StockBalance.id).where(
                StockBalance.stock_key == key,
                StockBalance.location_id == location,
                StockBalance.status == AVAILABLE,
            )
        )

    @rule(kind=st.integers(0, 2), src=st.integers(0, 2), dst=st.integers(0, 2), qty=quantities)
    def transfer(self, kind, src, dst, qty):
        key, source, target = self.w["keys"][kind], *(self.w["locations"][i] for i in (src, dst))
        balance = self._balance_id(key, source)
        if balance is None:
            return
        on_hand = self.model[(key, source, AVAILABLE)]
        expect = ValidationFailed if src == dst else InsufficientStock if qty > on_hand else None
        call = lambda: stock.transfer(  # noqa: E731
            actor=self._actor("store"), balance_id=balance, to_location_id=target, quantity=qty
        )
        if self._attempt(call, expect) is not None:
            self.model[(key, source, AVAILABLE)] -= qty
            self.model[(key, target, AVAILABLE)] += qty

    @rule(which=st.sampled_from([0, 2]), loc=st.integers(0, 2), qty=signed)
    def adjust(self, which, loc, qty):
        key, location = self.w["keys"][which], self.w["locations"][loc]
        item = self.w["items"][0 if which == 0 else 1]
        expect = InsufficientStock if self.model[(key, location, AVAILABLE)] + qty < 0 else None
        call = lambda: stock.adjust(  # noqa: E731
            actor=self._actor("store"),
            item_id=item,
            location_id=location,
            quantity=qty,
            reason="count",
        )
        if self._attempt(call, expect) is not None:
            self.model[(key, location, AVAILABLE)] += qty

    @rule(kind=st.integers(0, 2), loc=st.integers(0, 2), qty=quantities)
    def issue(self, kind, loc, qty):
        key, location = self.w["keys"][kind], self.w["locations"][loc]
        balance = self._balance_id(key, location)
        if balance is None:
            return
        expect = InsufficientStock if qty > self.model[(key, location, AVAILABLE)] else None
        call = lambda: stock.issue(actor=self._actor("store"), balance_id=balance, quantity=qty)  # noqa: E731
        if self._attempt(call, expect) is not None:
            self.model[(key, location, AVAILABLE)] -= qty

    @invariant()
    def balances_are_their_ledger_and_the_model(self):
        ledger = dict(
            ((key, loc, status), total)
            for key, loc, status, total in db.session.execute(
                select(StockLedgerEntry.stock_key, StockLedgerEntry.location_id,
                       StockLedgerEntry.status, func.sum(StockLedgerEntry.quantity))
                .group_by(StockLedgerEntry.stock_key, StockLedgerEntry.location_id,
                          StockLedgerEntry.status)
            ).all()
        )  # fmt: skip
        balances = {
            (key, loc, status): qty
            for key, loc, status, qty in db.session.execute(
                select(StockBalance.stock_key, StockBalance.location_id, StockBalance.status,
                       StockBalance.quantity)
            ).all()
        }  # fmt: skip
        db.session.rollback()
        for where, qty in balances.items():
            assert qty >= 0, (where, qty)
            assert ledger.get(where, Decimal("0")) == qty, (where, qty, ledger.get(where))
        assert set(ledger) <= set(balances)
        nonzero = {k: v for k, v in balances.items() if v != 0}
        assert nonzero == {k: v for k, v in self.model.items() if v != 0}

    @invariant()
    def received_quantities_follow_the_model(self):
        received = db.session.scalars(
            select(PurchaseOrderLine.quantity_received)
            .where(PurchaseOrderLine.po_id == self.w["po"])
            .order_by(PurchaseOrderLine.id)
        ).all()
        db.session.rollback()
        assert list(received) == self.received
        assert all(r <= ORDERED for r in received)


def test_stock_ledger_balances_never_go_negative_and_always_equal_their_ledger(app):
    with app.app_context():
        run_state_machine_as_test(
            lambda: StockLedgerMachine(app),
            settings=settings(max_examples=25, stateful_step_count=15, deadline=None),
        )
