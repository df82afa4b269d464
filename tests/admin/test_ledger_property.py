"""Whatever happens to stock, in any order, the ledger adds up: stock on hand = the sum of its movements,
per size and per lot, and a size's sellable lots add up to its stock on hand."""
import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.lots import confirm_allocation, withdraw_stale_lots
from shop.inventory.models import Lot
from shop.inventory.services import OutOfStock, StockError, adjust_stock, hold_stock, receive_delivery
from shop.recalls.services import recall_lot
from shop.orders.models import Order, OrderLine
from shop.orders.refunds import RefundError, refund_order
from shop.orders.services import release_order, transition
from shop.payments.services import get_gateway
from tests import factories as make
from tests.helpers import assert_ledger_balances

_attempts = itertools.count(1)

variant_index = st.integers(min_value=0, max_value=2)
units = st.integers(min_value=1, max_value=6)
operation = st.one_of(
    st.tuples(st.just("hold"), variant_index, units),
    st.tuples(st.just("release"), st.integers(min_value=0, max_value=20), st.just(0)),
    st.tuples(st.just("sell"), st.integers(min_value=0, max_value=20), st.just(0)),
    st.tuples(st.just("adjust"), variant_index, st.integers(min_value=-8, max_value=8)),
    st.tuples(st.just("receive"), variant_index, units),
    st.tuples(st.just("refund"), st.integers(min_value=0, max_value=20), units),
    st.tuples(st.just("write_off"), st.integers(min_value=0, max_value=20), units),
    st.tuples(st.just("expire"), st.integers(min_value=1, max_value=120), st.just(0)),  # days pass; the job runs
    st.tuples(st.just("recall"), st.integers(min_value=0, max_value=20), st.just(0)),
)
START = date(2027, 1, 1)


def open_checkout(variant, quantity, on):
    """What starting checkout does: the order and its hold in one transaction, or neither."""
    order = Order(status="pending_payment", email="buyer@example.com", currency="gbp", gateway="demo",
                  subtotal_pence=variant.price_pence * quantity, shipping_pence=0, total_pence=variant.price_pence * quantity,
                  lines=[OrderLine(variant_id=variant.id, product_id=variant.product_id, sku=variant.sku,
                                   product_name="x", size_label=variant.size_label,
                                   unit_price_pence=variant.price_pence, quantity=quantity)])
    db.session.add(order)
    db.session.flush()
    try:
        hold_stock({variant.id: quantity}, order_id=order.id, on=on)
    except OutOfStock:
        db.session.rollback()
        return
    db.session.commit()


def nth_lot(n):
    found = db.session.query(Lot).order_by(Lot.id).all()
    return found[n % len(found)] if found else None


def nth(status, n):
    orders = db.session.query(Order).filter(Order.status == status).order_by(Order.id).all()
    return orders[n % len(orders)] if orders else None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(operation, min_size=1, max_size=12))
def test_the_ledger_always_equals_stock_on_hand(app, steps):
    admin = make.user(role="admin")
    variants = make.product(sizes=((50, 500, 3), (100, 900, 0), (250, 1500, 10))).variants
    lots = itertools.count(1)
    today = START
    with app.test_request_context():
        for kind, a, b in steps:
            if kind == "hold":
                open_checkout(variants[a], b, today)
            elif kind == "release" and (order := nth("pending_payment", a)):
                release_order(order, "expired", "hold ran out")
                db.session.commit()
            elif kind == "sell" and (order := nth("pending_payment", a)):
                transition(order, "paid", ("pending_payment",), "payment received", paid_at=utcnow(),
                           payment_intent_id=f"demo_pi_{order.id}")
                confirm_allocation(order.id, today)  # what payment does: a lot gone off sale is swapped
                db.session.commit()
            elif kind == "adjust" and b:
                try:
                    adjust_stock(variants[a].id, b, "count_correction", "counted", actor=admin)
                except StockError:
                    pass  # would go below zero: refused, nothing written
            elif kind == "receive":  # a new lot, expiring 20 to 200 days from today
                expires = today + timedelta(days=20 + 30 * (next(lots) % 7))
                receive_delivery([make.lot_line(variants[a].sku, b, f"L{next(lots)}", expires=expires.isoformat())], "PO-1",
                                 actor=admin, on=today)
            elif kind == "expire":
                today += timedelta(days=a)
                withdraw_stale_lots(today)
                db.session.commit()
            elif kind == "recall" and (lot := nth_lot(a)):
                recall_lot(lot.id, "Stop using it.", actor=admin)
            elif kind in ("refund", "write_off") and (order := nth("paid", a)):
                line = order.lines[0]
                try:
                    refund_order(order.id, min(100, order.total_pence), "requested_by_customer", "",
                                 {line.variant_id: min(b, line.quantity)}, f"property-test-{next(_attempts):08d}",
                                 gateway=get_gateway(), actor=admin, write_off=kind == "write_off")
                except RefundError:
                    pass  # refunded in full already, or every unit is back: refused, nothing written
            assert_ledger_balances()
