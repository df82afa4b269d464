"""The order statuses the code names are the ones the database accepts, and the groups the shop
reasons about (stock held, hold released, money taken, money owed on account) say of every order exactly one thing."""
import json
import re

from shop.orders.models import Order
from shop.orders.status import (
    HOLD_RELEASED,
    MONEY_TAKEN,
    OWED,
    PAYMENT_MADE,
    SHOWN_TO_BUYER,
    STATUS_LABELS,
    STATUSES,
    STOCK_HELD,
    OrderStatus,
)


def _accepted_by_database() -> set[str]:
    (check,) = [c for c in Order.__table__.constraints if c.name == "ck_orders_status"]
    return set(re.findall(r"'([a-z_]+)'", str(check.sqltext)))


def test_the_code_names_exactly_the_statuses_the_database_accepts():
    assert set(STATUSES) == _accepted_by_database()
    assert {s.value for s in OrderStatus} == _accepted_by_database()


def test_every_order_holds_stock_gave_it_back_or_sold_it_and_only_one_of_these():
    groups = [set(STOCK_HELD), set(HOLD_RELEASED), set(MONEY_TAKEN), set(OWED)]
    assert set().union(*groups) == set(STATUSES)
    assert sum(len(g) for g in groups) == len(STATUSES)


def test_the_buyer_never_sees_an_abandoned_checkout_and_plans_count_only_paid_orders():
    assert OrderStatus.PENDING_PAYMENT not in SHOWN_TO_BUYER
    assert not set(HOLD_RELEASED) & set(PAYMENT_MADE)
    assert set(MONEY_TAKEN) <= set(PAYMENT_MADE) <= set(SHOWN_TO_BUYER)


def test_a_status_read_back_from_the_database_as_text_is_the_same_status(app):
    # Rows come back as plain strings; the groups, labels and audit log must treat them alike.
    assert "paid" in MONEY_TAKEN and "pending_payment" in STOCK_HELD
    assert Order(status="needs_review").status_label == "Being checked by our team"
    assert all(Order(status=s.value).status_label == STATUS_LABELS[s] != s.value for s in OrderStatus)
    assert json.dumps({"status": OrderStatus.CANCELLED}) == '{"status": "cancelled"}'
    assert f"{OrderStatus.EXPIRED}" == "expired"
