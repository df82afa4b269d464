"""Stripe does not promise the order of its events: a refund can arrive before the payment it refunds.

(The storm in test_webhook_storm.py finds this by chance on PostgreSQL; here it is on purpose, on both databases.)
"""
import json

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from shop.payments.services import get_gateway
from tests import factories as make
from tests.helpers import add_to_cart, checkout
from tests.stripe.double import stripe_settings


@pytest.fixture
def app_settings(double):
    return stripe_settings(double.url)


@pytest.fixture
def order(app, client):
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 10),))
    add_to_cart(client, oil.variants[0].id, 3)
    assert checkout(client).status_code == 303
    return current_order()


def current_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def post(app, double, event):
    payload = json.dumps(event).encode()
    return app.test_client().post("/stripe/webhook", data=payload,
                                  headers={"Content-Type": "application/json", "Stripe-Signature": double.sign(payload)})


def test_a_refund_that_overtakes_its_payment_event_is_still_recorded(app, double, order):
    session = double.complete(order.checkout_session_id, send_webhook=False)
    get_gateway().refund(session["payment_intent"], 700, "requested_by_customer", "early-refund")
    assert post(app, double, double.refund_event(session["payment_intent"])).status_code == 200
    assert current_order().refunded_pence == 700
    assert post(app, double, double.event("checkout.session.completed", session)).status_code == 200
    paid = current_order()
    assert (paid.status, paid.refunded_pence, paid.payment_intent_id) == ("paid", 700, session["payment_intent"])


def test_a_refund_of_a_payment_that_is_not_ours_changes_nothing(app, double, order):
    double.payment_intents["pi_elsewhere"] = {"id": "pi_elsewhere", "object": "payment_intent", "metadata": {}}
    charge = {"id": "ch_elsewhere", "object": "charge", "payment_intent": "pi_elsewhere", "amount_refunded": 500}
    assert post(app, double, double.event("charge.refunded", charge)).status_code == 200
    untouched = current_order()
    assert (untouched.status, untouched.refunded_pence, untouched.payment_intent_id) == ("pending_payment", 0, None)
