"""Against Stripe's own test mode: create, retrieve, expire a session; amounts and line items;
and, with `stripe listen` forwarding to this test's server, the webhook path."""
import os
import threading
import time

import pytest
import stripe
from sqlalchemy import select
from werkzeug.serving import make_server

from shop.cart.services import price_cart
from shop.checkout.services import start_checkout
from shop.extensions import db
from shop.orders.models import Order
from shop.payments.services import get_gateway
from tests import factories as make
from tests.helpers import ensure_delivery, stock_of

FORWARD_PORT = int(os.environ.get("STRIPE_FORWARD_PORT", "5055"))


def open_checkout(app):
    oil = make.product("Grapeseed Oil", sizes=((100, 699, 10),))
    ensure_delivery()
    cart = price_cart({oil.variants[0].id: 2}, currency="gbp", postcode="LS1 4AB", delivery_method="tracked-48")
    with app.test_request_context(base_url="http://127.0.0.1:5055"):
        started = start_checkout(
            cart, get_gateway(), email="live-test@example.com", user_id=None, hold_minutes=30,
            success_url="http://127.0.0.1:5055/checkout/success?session_id={CHECKOUT_SESSION_ID}",
            cancel_url_for=lambda token: f"http://127.0.0.1:5055/checkout/cancel?order={token}",
        )
    return oil, started.order


def test_session_amounts_and_line_items_then_expire(app):
    oil, order = open_checkout(app)
    client = stripe.StripeClient(app.config["STRIPE_SECRET_KEY"])
    session = client.v1.checkout.sessions.retrieve(order.checkout_session_id)
    assert session.status == "open"
    assert session.livemode is False
    assert session.amount_total == order.total_pence == 2 * 699 + 495
    assert session.currency == "gbp"
    assert session.client_reference_id == str(order.id)
    items = client.v1.checkout.sessions.line_items.list(order.checkout_session_id)
    assert [(i.quantity, i.amount_total) for i in items.data] == [(2, 1398)]
    assert stock_of(oil.variants[0].id) == 8

    expired = get_gateway().expire_checkout(order.checkout_session_id)
    assert expired.status == "expired"


@pytest.mark.skipif(not os.environ.get("STRIPE_WEBHOOK_SECRET"), reason="set STRIPE_WEBHOOK_SECRET from `stripe listen` to test the webhook path")
def test_the_expired_webhook_arrives_through_stripe_listen(app):
    """Run `stripe listen --forward-to http://127.0.0.1:5055/stripe/webhook` alongside."""
    server = make_server("127.0.0.1", FORWARD_PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        oil, order = open_checkout(app)
        stripe.StripeClient(app.config["STRIPE_SECRET_KEY"]).v1.checkout.sessions.expire(order.checkout_session_id)
        deadline = time.time() + 60
        while time.time() < deadline:
            db.session.expire_all()
            if db.session.scalar(select(Order.status).where(Order.id == order.id)) == "expired":
                break
            time.sleep(1)
        assert db.session.scalar(select(Order.status).where(Order.id == order.id)) == "expired"
        assert stock_of(oil.variants[0].id) == 10
    finally:
        server.shutdown()
