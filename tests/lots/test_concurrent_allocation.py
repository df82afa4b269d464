"""Many payments at once on a size split across several small lots (PostgreSQL: real row locks)."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.inventory.models import Lot, LotAllocation
from shop.inventory.services import OutOfStock, hold_stock
from shop.orders.models import Order, OrderLine
from tests import factories as make
from tests.helpers import assert_ledger_balances, stock_of
from tests.lots.support import TODAY, receive

pytestmark = pytest.mark.postgres_only

BUYERS = 12


def test_simultaneous_holds_never_allocate_more_from_a_lot_than_it_holds(app):
    admin = make.user(role="admin")
    oil = make.product("Arnica Oil", sizes=((100, 699, 0),)).variants[0]
    receive(admin, oil, *[(f"L{n}", 3, f"2027-0{n + 3}-28") for n in range(1, 6)])  # 5 lots of 3: 15 units
    order_ids = []
    for _ in range(BUYERS):
        order = Order(status="pending_payment", email="b@example.com", currency="gbp", gateway="demo", subtotal_pence=0,
                      shipping_pence=0, total_pence=0,
                      lines=[OrderLine(variant_id=oil.id, product_id=oil.product_id, sku=oil.sku, product_name="x",
                                       size_label="x", unit_price_pence=0, quantity=q) for q in (1, 1)])
        db.session.add(order)
        db.session.flush()
        order_ids.append(order.id)
    db.session.commit()
    variant_id = oil.id  # read here: the threads must not touch this session's objects
    barrier = threading.Barrier(BUYERS)

    def pay(order_id):
        with app.app_context():  # its own session and connection
            barrier.wait(timeout=30)
            try:
                hold_stock({variant_id: 2}, order_id=order_id, on=TODAY)
                db.session.commit()
                return True
            except OutOfStock:
                db.session.rollback()
                return False
            finally:
                db.session.remove()

    with ThreadPoolExecutor(BUYERS) as pool:
        outcomes = list(pool.map(pay, order_ids, timeout=60))

    assert outcomes.count(True) == 7  # 14 of the 15 units; the rest were told it is out of stock
    assert stock_of(variant_id) == 1
    db.session.expire_all()
    taken = dict(db.session.execute(select(LotAllocation.lot_id, func.sum(LotAllocation.quantity)).group_by(LotAllocation.lot_id)).all())
    for lot in db.session.scalars(select(Lot)):
        assert taken.get(lot.id, 0) + lot.on_hand == 3, lot.code  # never more than the lot held
    assert sorted(code for code, on_hand in db.session.execute(select(Lot.code, Lot.on_hand)) if on_hand) == ["L5"]
    assert_ledger_balances()
