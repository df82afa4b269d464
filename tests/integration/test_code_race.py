"""200 buyers race for a discount code with 10 uses left: exactly 10 orders carry it (PostgreSQL)."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select

from shop.extensions import db
from shop.offers.models import DiscountCode, DiscountUse
from shop.offers.services import CodeRefused, release_code_use, reserve_code_use
from shop.orders.models import Order
from tests.offers import support

pytestmark = pytest.mark.postgres_only
BUYERS, USES_LEFT, THREADS = 200, 10, 16


def test_two_hundred_buyers_and_ten_uses_left_make_exactly_ten_orders_with_the_code(app):
    code = support.code("LAUNCH", max_uses=25, uses_taken=25 - USES_LEFT)
    # 200 checkouts started: their orders exist; which of them gets a use is the race.
    db.session.execute(insert(Order), [
        {"token": f"race-{n}", "status": "pending_payment", "email": f"buyer{n}@example.com", "currency": "gbp",
         "subtotal_pence": 2000, "shipping_pence": 0, "total_pence": 1800, "gateway": "stripe", "discount_code": "LAUNCH",
         "code_discount_pence": 200} for n in range(BUYERS)])
    db.session.commit()
    order_ids = db.session.scalars(select(Order.id).order_by(Order.id)).all()
    start = threading.Barrier(THREADS)

    def buy(order_id):
        # What checkout does, in the buyer's own session and transaction.
        with app.app_context():
            if order_id in order_ids[:THREADS]:
                start.wait(timeout=30)  # the first wave starts together
            try:
                reserve_code_use(code.id, order_id=order_id, user_id=None, email=f"buyer{order_id}@example.com",
                                 discount_pence=200)
                db.session.commit()
                return True
            except CodeRefused:
                db.session.rollback()
                return False

    with ThreadPoolExecutor(THREADS) as pool:
        won = list(pool.map(buy, order_ids))

    db.session.expire_all()
    assert sum(won) == USES_LEFT
    assert db.session.scalar(select(func.count(DiscountUse.id))) == USES_LEFT
    assert db.session.get(DiscountCode, code.id).uses_taken == 25
    # A lapsed checkout gives its use back once, however many times it is released.
    winner = order_ids[won.index(True)]
    with ThreadPoolExecutor(4) as pool:
        released = list(pool.map(lambda _: _release(app, winner), range(4)))
    assert released.count(True) == 1
    db.session.expire_all()
    assert db.session.get(DiscountCode, code.id).uses_taken == 24


def _release(app, order_id):
    with app.app_context():
        done = release_code_use(order_id)
        db.session.commit()
        return done
