"""Units sent back on a refund go into the lot they came from, or are written off: the admin chooses."""
from sqlalchemy import select

from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.lots import allocations_of
from shop.inventory.models import Lot
from shop.orders.refunds import RefundError, refund_order
from shop.orders.services import transition
from shop.payments.services import get_gateway
from tests import factories as make
from tests.helpers import assert_ledger_balances, stock_of
from tests.lots.support import allocated, pending_order, receive


def test_returned_units_go_back_to_their_lot_or_are_written_off(app):
    admin = make.user(role="admin")
    cream = make.product("Shea Cream", sizes=((100, 1000, 0),)).variants[0]
    receive(admin, cream, ("EARLY", 2, "2027-05-31"), ("LATE", 4, "2028-05-31"))
    order = pending_order((cream, 3))
    transition(order, "paid", ("pending_payment",), "payment received", paid_at=utcnow(), payment_intent_id=f"demo_pi_{order.id}")
    order.total_pence = order.subtotal_pence = 3000
    db.session.commit()
    assert allocated(order) == [("EARLY", 2), ("LATE", 1)] and stock_of(cream.id) == 3

    with app.test_request_context():
        refund_order(order.id, 1000, "requested_by_customer", "", {cream.id: 1}, "attempt-restock-0001",
                     gateway=get_gateway(), actor=admin)
        refund_order(order.id, 1000, "requested_by_customer", "opened", {cream.id: 2}, "attempt-writeoff-001",
                     gateway=get_gateway(), actor=admin, write_off=True)
        try:
            refund_order(order.id, 500, "requested_by_customer", "", {cream.id: 1}, "attempt-toomany-0001",
                         gateway=get_gateway(), actor=admin)
            raise AssertionError("a fourth unit of a three-unit order went back")
        except RefundError as error:
            assert "at most 0" in str(error)
    on_hand = {lot.code: lot.on_hand for lot in db.session.scalars(select(Lot))}
    assert on_hand == {"EARLY": 0, "LATE": 4}  # the unit back went into LATE, the lot it came from last
    assert stock_of(cream.id) == 4  # the two written off never came back on sale
    db.session.expire_all()
    assert [(a.lot.code, a.returned, a.written_off) for a in allocations_of(order.id)] == [("EARLY", 0, 2), ("LATE", 1, 0)]
    assert_ledger_balances()
