"""Stripe unreachable or slow while people check out, pay and cancel.

The app reaches the Stripe-API double (tests/stripe/double.py) through a TCP proxy that the
test cuts and restores, so "Stripe is down" is a refused connection, as it is in real life.
Slow answers come from the double's own ("delay", seconds) fault. Retries are on here
(STRIPE_MAX_RETRIES=2, a 1 second timeout), as in production; tests/stripe/ covers single
faults with retries off.
"""
import pytest
import stripe
from sqlalchemy import func, select

from shop import create_app
from shop.config import Config, TestConfig
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, assert_ledger_balances, checkout, outbox, stock_of
from tests.resilience.proxy import TcpProxy
from tests.stripe.double import SECRET_KEY, WEBHOOK_SECRET, stripe_settings

TIMEOUT = 1
RETRIES = 2


@pytest.fixture
def stripe_link(double):
    """The app's only road to Stripe: cut it and Stripe is unreachable."""
    port = int(double.url.rsplit(":", 1)[1])
    with TcpProxy(("127.0.0.1", port)) as proxy:
        yield proxy


@pytest.fixture
def app_settings(stripe_link):
    return stripe_settings(f"http://127.0.0.1:{stripe_link.port}", timeout=TIMEOUT, retries=RETRIES)


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 10),))


def orders_by_status() -> dict:
    db.session.expire_all()
    return dict(db.session.execute(select(Order.status, func.count()).group_by(Order.status)).all())


def only_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def session_creates(double):
    return [r for r in double.requests if r["method"] == "POST" and r["path"] == "/v1/checkout/sessions"]


def assert_payment_trouble_page(response):
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "reach our payment provider" in html
    assert "Nothing has been charged" in html
    assert "Grapeseed Oil" in html  # the cart is still there, ready for another try
    assert "Traceback" not in html


def test_the_stripe_client_is_given_an_explicit_timeout_and_retry_count(monkeypatch):
    """Without them a hung Stripe would hold a worker for the library's default (80 s) and never retry."""
    from shop.payments.services import get_gateway

    built = {}
    real_client, real_http = stripe.StripeClient, stripe.RequestsClient

    def client(*args, **kwargs):
        built["client"] = kwargs
        return real_client(*args, **kwargs)

    def http_client(*args, **kwargs):
        built["http"] = kwargs
        return real_http(*args, **kwargs)

    monkeypatch.setattr(stripe, "StripeClient", client)
    monkeypatch.setattr(stripe, "RequestsClient", http_client)

    for settings, timeout, retries in [
        ({}, Config.STRIPE_TIMEOUT_SECONDS, Config.STRIPE_MAX_RETRIES),
        ({"STRIPE_TIMEOUT_SECONDS": 4, "STRIPE_MAX_RETRIES": 5}, 4, 5),
    ]:
        built.clear()
        app = create_app(TestConfig, STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, **settings)
        with app.app_context():
            get_gateway()
        assert built["http"]["timeout"] == timeout
        assert built["client"]["max_network_retries"] == retries
    assert (Config.STRIPE_TIMEOUT_SECONDS, Config.STRIPE_MAX_RETRIES) == (10, 2)


def test_stripe_unreachable_at_checkout_releases_the_hold_and_leaves_nothing_pending(client, double, stripe_link, oil):
    add_to_cart(client, oil.variants[0].id, 3)
    stripe_link.cut()
    assert_payment_trouble_page(checkout(client))
    assert orders_by_status() == {"cancelled": 1}
    assert stock_of(oil.variants[0].id) == 10
    assert session_creates(double) == []  # it never got through
    assert_ledger_balances()

    stripe_link.restore()
    response = checkout(client)
    assert response.status_code == 303
    assert orders_by_status() == {"cancelled": 1, "pending_payment": 1}
    assert stock_of(oil.variants[0].id) == 7


def test_stripe_slower_than_the_timeout_every_time_releases_the_hold(client, double, oil):
    add_to_cart(client, oil.variants[0].id, 3)
    double.fail_next.extend([("delay", TIMEOUT + 1)] * (RETRIES + 1))
    assert_payment_trouble_page(checkout(client))
    assert len(session_creates(double)) == RETRIES + 1  # the first try and both retries
    assert orders_by_status() == {"cancelled": 1}
    assert stock_of(oil.variants[0].id) == 10
    assert_ledger_balances()


@pytest.mark.parametrize("fault", [("delay", TIMEOUT + 1), ("drop",), ("status", 500)])
def test_one_slow_or_failed_answer_is_retried_with_the_same_idempotency_key(client, double, oil, fault):
    """A retry must never open a second session: Stripe replays the first answer for the same key."""
    add_to_cart(client, oil.variants[0].id, 3)
    double.fail_next.append(fault)
    response = checkout(client)
    assert response.status_code == 303
    order = only_order()
    assert order.status == "pending_payment"
    creates = session_creates(double)
    assert len(creates) == 2
    assert {r["headers"]["Idempotency-Key"] for r in creates} == {f"checkout-{order.token}"}
    assert list(double.sessions) == [order.checkout_session_id]
    assert response.headers["Location"] == double.sessions[order.checkout_session_id]["url"]
    assert stock_of(oil.variants[0].id) == 7


def test_paid_while_stripe_is_unreachable_from_the_success_page(app, client, double, stripe_link, oil):
    """The buyer paid, but we cannot ask Stripe: say so kindly, keep the hold, confirm on reload."""
    add_to_cart(client, oil.variants[0].id, 2)
    checkout(client)
    order = only_order()
    double.complete(order.checkout_session_id, send_webhook=False)
    stripe_link.cut()
    page = client.get(f"/checkout/success?session_id={order.checkout_session_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 503
    assert "Your order is safe" in html and "Traceback" not in html
    assert only_order().status == "pending_payment"  # not cancelled: the money may well be taken
    assert stock_of(oil.variants[0].id) == 8  # the hold stays
    assert outbox(app) == []

    stripe_link.restore()
    page = client.get(f"/checkout/success?session_id={order.checkout_session_id}")
    assert page.status_code == 200
    assert only_order().status == "paid"
    assert len(outbox(app)) == 1
    assert_ledger_balances()


def test_cancel_while_stripe_is_unreachable_keeps_the_hold_until_stripe_confirms(client, double, stripe_link, oil, runner):
    """Releasing stock for a session Stripe might still accept would sell it twice: wait for Stripe."""
    add_to_cart(client, oil.variants[0].id, 2)
    checkout(client)
    order = only_order()
    stripe_link.cut()
    page = client.get(f"/checkout/cancel?order={order.token}", follow_redirects=True)
    assert page.status_code == 200
    assert "reach our payment provider" in page.get_data(as_text=True)
    assert only_order().status == "pending_payment"
    assert stock_of(oil.variants[0].id) == 8

    stripe_link.restore()
    # The buyer tries again, or the sweeper gets there when the hold runs out: either way it ends.
    client.get(f"/checkout/cancel?order={order.token}")
    assert only_order().status == "cancelled"
    assert double.sessions[order.checkout_session_id]["status"] == "expired"
    assert stock_of(oil.variants[0].id) == 10
    assert_ledger_balances()


def test_the_sweeper_waits_out_a_stripe_outage(app, client, double, stripe_link, oil, runner):
    add_to_cart(client, oil.variants[0].id, 3)
    checkout(client)
    order = only_order()
    order.hold_expires_at = order.hold_expires_at.replace(year=2000)
    db.session.commit()
    stripe_link.cut()
    result = runner.invoke(args=["shop", "release-expired"])
    assert "Traceback" not in result.output
    assert only_order().status == "pending_payment"  # not released blind
    assert stock_of(oil.variants[0].id) == 7

    stripe_link.restore()
    assert "Released 1" in runner.invoke(args=["shop", "release-expired"]).output
    assert only_order().status == "expired"
    assert double.sessions[order.checkout_session_id]["status"] == "expired"
    assert stock_of(oil.variants[0].id) == 10
    assert_ledger_balances()
