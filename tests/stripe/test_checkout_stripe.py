"""Checkout against the Stripe-API double, through the real `stripe` package."""
import time

import pytest
from sqlalchemy import select

from shop import create_app
from shop.config import ProductionConfig, TestConfig
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, assert_ledger_balances, checkout, outbox, stock_of


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 10), (1000, 2999, 4)))


def only_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def session_creates(double):
    return [r for r in double.requests if r["method"] == "POST" and r["path"] == "/v1/checkout/sessions"]


def test_checkout_opens_a_stripe_session_with_server_prices(client, double, oil):
    add_to_cart(client, oil.variants[0].id, 3)
    add_to_cart(client, oil.variants[1].id, 1)
    before = int(time.time())
    response = checkout(client)
    after = int(time.time())
    assert response.status_code == 303
    order = only_order()
    assert response.headers["Location"] == double.sessions[order.checkout_session_id]["url"]

    (request,) = session_creates(double)
    params = request["params"]
    assert params["mode"] == "payment"
    assert params["client_reference_id"] == str(order.id)
    assert params["metadata"] == {"order_id": str(order.id), "order_number": order.number}
    assert request["headers"]["Idempotency-Key"] == f"checkout-{order.token}"
    items = sorted((i["price_data"]["unit_amount"], i["quantity"]) for i in params["line_items"])
    assert items == [("2999", "1"), ("699", "3")]
    assert {i["price_data"]["currency"] for i in params["line_items"]} == {"gbp"}
    assert params["shipping_address_collection"] == {"allowed_countries": ["GB"]}
    # £50.96 is over the £50 threshold: delivery is free, and Stripe's total equals ours.
    assert params["shipping_options"][0]["shipping_rate_data"]["fixed_amount"] == {"amount": "0", "currency": "gbp"}
    assert double.sessions[order.checkout_session_id]["amount_total"] == order.total_pence == 5096
    # Bracketed by the clock read before and after the request: the hold (30 minutes) plus the
    # few seconds of margin, however long the request itself took on a busy machine.
    assert before + 30 * 60 <= int(params["expires_at"]) <= after + 30 * 60 + 5
    assert "{CHECKOUT_SESSION_ID}" in params["success_url"]
    assert f"order={order.token}" in params["cancel_url"]
    assert stock_of(oil.variants[0].id) == 7 and stock_of(oil.variants[1].id) == 3


def test_paying_at_stripe_then_landing_on_the_success_page(app, client, double, oil):
    add_to_cart(client, oil.variants[0].id, 2)
    checkout(client)
    order = only_order()
    double.complete(order.checkout_session_id, send_webhook=False)
    page = client.get(f"/checkout/success?session_id={order.checkout_session_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"order {order.number} is confirmed" in html
    assert "1 Clinic Road" in html and "LS1 4AB" in html
    order = only_order()
    assert order.status == "paid"
    assert order.payment_intent_id == double.sessions[order.checkout_session_id]["payment_intent"]
    assert order.email == "buyer@example.com"
    assert len(outbox(app)) == 1
    client.get(f"/checkout/success?session_id={order.checkout_session_id}")
    assert len(outbox(app)) == 1
    assert stock_of(oil.variants[0].id) == 8
    assert_ledger_balances()


def test_the_query_string_alone_proves_nothing(client, double, oil):
    add_to_cart(client, oil.variants[0].id, 1)
    checkout(client)
    order = only_order()
    # The buyer jumps to the success page without paying: Stripe says the session is open.
    client.get(f"/checkout/success?session_id={order.checkout_session_id}")
    assert only_order().status == "pending_payment"


@pytest.mark.parametrize(
    "faults",
    [
        [("drop",)],
        [("status", 500)],
        [("status", 400)],
        [("delay", 3)],  # longer than the client's 2 second timeout
    ],
)
def test_when_stripe_fails_the_hold_is_released_and_the_cart_kept(client, double, oil, faults):
    add_to_cart(client, oil.variants[0].id, 3)
    double.fail_next.extend(faults)
    response = checkout(client)
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Nothing has been charged" in html
    assert "Grapeseed Oil" in html  # still in the cart
    order = only_order()
    assert order.status == "cancelled"
    assert stock_of(oil.variants[0].id) == 10
    assert_ledger_balances()
    # And the next try works.
    assert checkout(client).status_code == 303


def test_cancel_expires_the_session_at_stripe_and_releases_the_hold(client, double, oil):
    add_to_cart(client, oil.variants[0].id, 3)
    checkout(client)
    order = only_order()
    response = client.get(f"/checkout/cancel?order={order.token}", follow_redirects=True)
    assert "Everything is still in your cart" in response.get_data(as_text=True)
    assert double.sessions[order.checkout_session_id]["status"] == "expired"
    assert only_order().status == "cancelled"
    assert stock_of(oil.variants[0].id) == 10


def test_the_sweeper_expires_sessions_at_stripe_before_releasing(app, client, double, oil, runner):
    add_to_cart(client, oil.variants[0].id, 3)
    checkout(client)
    order = only_order()
    order.hold_expires_at = order.hold_expires_at.replace(year=2000)
    db.session.commit()
    assert "Released 1" in runner.invoke(args=["shop", "release-expired"]).output
    assert double.sessions[order.checkout_session_id]["status"] == "expired"
    assert only_order().status == "expired"
    assert stock_of(oil.variants[0].id) == 10
    # Run again: nothing left to do.
    assert "Released 0" in runner.invoke(args=["shop", "release-expired"]).output


def test_the_sweeper_honours_a_payment_that_beat_it(app, client, double, oil):
    from shop.checkout.services import release_expired
    from shop.payments.services import get_gateway

    add_to_cart(client, oil.variants[0].id, 3)
    checkout(client)
    order = only_order()
    double.complete(order.checkout_session_id, send_webhook=False)
    order.hold_expires_at = order.hold_expires_at.replace(year=2000)
    db.session.commit()
    with app.test_request_context():
        result = release_expired(get_gateway())
    assert result.paid == 1 and result.released == 0
    assert only_order().status == "paid"
    assert stock_of(oil.variants[0].id) == 7
    assert len(outbox(app)) == 1  # the buyer is told once, by the sweeper that applied the payment
    with app.test_request_context():
        again = release_expired(get_gateway())
    assert (again.paid, again.released, again.failed) == (0, 0, 0)
    assert len(outbox(app)) == 1


def test_the_sweeper_releases_a_checkout_whose_session_never_opened(app, client, double, oil, runner):
    # The process stopped between holding the stock and opening the session at Stripe.
    add_to_cart(client, oil.variants[0].id, 2)
    checkout(client)
    order = only_order()
    order.checkout_session_id = None
    order.hold_expires_at = order.hold_expires_at.replace(year=2000)
    db.session.commit()
    expiring = len([r for r in double.requests if r["path"].endswith("/expire")])
    assert "Released 1" in runner.invoke(args=["shop", "release-expired"]).output
    assert len([r for r in double.requests if r["path"].endswith("/expire")]) == expiring  # nothing to close at Stripe
    order = only_order()
    assert order.status == "expired" and "no checkout session was opened" in [e.note for e in order.events]
    assert stock_of(oil.variants[0].id) == 10
    assert_ledger_balances()


def test_a_live_key_is_refused_outside_production():
    with pytest.raises(RuntimeError, match="not a test key"):
        create_app(TestConfig, STRIPE_SECRET_KEY="sk_live_abc", STRIPE_WEBHOOK_SECRET="whsec_x")


def test_stripe_needs_a_webhook_secret():
    with pytest.raises(RuntimeError, match="STRIPE_WEBHOOK_SECRET"):
        create_app(TestConfig, STRIPE_SECRET_KEY="sk_test_abc", STRIPE_WEBHOOK_SECRET=None)


def test_production_refuses_to_start_without_its_secrets(monkeypatch):
    for name in ("SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="STRIPE_SECRET_KEY"):
        create_app(ProductionConfig)
