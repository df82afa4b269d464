"""Checkout with the demo gateway: the same hold, fulfilment and email code as Stripe."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.clock import utcnow
from shop.checkout.services import release_expired
from shop.extensions import db
from shop.inventory.models import StockMovement
from shop.orders.models import Order
from shop.payments.services import get_gateway
from tests import factories as make
from tests.helpers import add_to_cart, assert_ledger_balances, checkout, csrf_token, outbox, stock_of


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 10),))


def only_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def start(client, oil, quantity=3):
    add_to_cart(client, oil.variants[0].id, quantity)
    response = checkout(client)
    assert response.status_code == 303
    return response.headers["Location"]


def pay(client, pay_url):
    page = client.get(pay_url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Demo payment page" in html and "no money moves" in html
    action = re.search(r'action="(/demo-pay/[^"]+/pay)"', html).group(1)
    response = client.post(action, data={"csrf_token": csrf_token(client, pay_url)})
    assert response.status_code == 303
    return response.headers["Location"]


def test_checkout_holds_stock_and_creates_a_pending_order(client, oil):
    before = utcnow()
    pay_url = start(client, oil)
    after = utcnow()
    assert "/demo-pay/demo_cs_" in pay_url
    order = only_order()
    assert order.status == "pending_payment"
    assert (order.subtotal_pence, order.shipping_pence, order.total_pence) == (2097, 495, 2592)
    assert [(l.sku, l.quantity, l.unit_price_pence) for l in order.lines] == [(oil.variants[0].sku, 3, 699)]
    assert before + timedelta(minutes=30) <= order.hold_expires_at <= after + timedelta(minutes=30)
    assert stock_of(oil.variants[0].id) == 7
    assert_ledger_balances()


def test_paying_marks_the_order_paid_empties_the_cart_and_emails_once(app, client, oil):
    success_url = pay(client, start(client, oil))
    assert "/checkout/success?session_id=demo_cs_" in success_url
    page = client.get(success_url).get_data(as_text=True)
    assert "order EC000001 is confirmed" in page
    assert "1 Demo Street" in page
    assert "This was a demo order: no money moved." in page
    order = only_order()
    assert order.status == "paid" and order.paid_at is not None
    assert stock_of(oil.variants[0].id) == 7
    assert '<span class="cart-count" aria-label="0 items">0</span>' in client.get("/cart").get_data(as_text=True)
    mails = outbox(app)
    assert len(mails) == 1
    body = mails[0].read_text()
    assert "Order EC000001 is paid." in body and "3 x Grapeseed Oil" in body and f"/orders/{order.token}" in body

    # Reloading changes nothing: no second email, no stock movement, a cart filled later stays.
    add_to_cart(client, oil.variants[0].id, 1)
    assert client.get(success_url).status_code == 200
    assert len(outbox(app)) == 1
    assert '<span class="cart-count" aria-label="1 item">1</span>' in client.get("/cart").get_data(as_text=True)
    assert only_order().status == "paid"
    assert_ledger_balances()


def test_the_success_page_shows_details_only_to_the_browser_that_checked_out(app, client, oil):
    success_url = pay(client, start(client, oil))
    client.get(success_url)
    stranger = app.test_client()
    html = stranger.get(success_url).get_data(as_text=True)
    assert "Thank you for your order" in html
    assert "1 Demo Street" not in html and "EC000001" not in html
    # The private order link is the bearer token a guest comes back with.
    order = only_order()
    assert "1 Demo Street" in stranger.get(f"/orders/{order.token}").get_data(as_text=True)
    assert stranger.get("/orders/not-a-real-token").status_code == 404


def test_cancel_returns_to_the_cart_and_releases_the_hold(client, oil):
    pay_url = start(client, oil)
    html = client.get(pay_url).get_data(as_text=True)
    action = re.search(r'action="(/demo-pay/[^"]+/cancel)"', html).group(1)
    back = client.post(action, data={"csrf_token": csrf_token(client, pay_url)})
    assert "/checkout/cancel?order=" in back.headers["Location"]
    cart = client.get(back.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Checkout cancelled. Everything is still in your cart." in cart
    assert "Grapeseed Oil" in cart
    assert only_order().status == "cancelled"
    assert stock_of(oil.variants[0].id) == 10
    # Cancelling twice, or paying the cancelled session, changes nothing.
    client.get(back.headers["Location"])
    assert stock_of(oil.variants[0].id) == 10
    paid = client.post(action.replace("/cancel", "/pay"), data={"csrf_token": csrf_token(client)})
    assert paid.status_code == 400
    assert_ledger_balances()


def test_checkout_refuses_when_stock_ran_out_meanwhile(client, oil):
    add_to_cart(client, oil.variants[0].id, 3)
    oil.variants[0].stock_on_hand = 2
    db.session.commit()
    response = checkout(client)
    assert response.status_code == 409
    assert db.session.scalars(select(Order)).first() is None


def test_an_empty_cart_cannot_check_out(client, oil):
    response = checkout(client)
    assert response.status_code == 409


def test_the_sweeper_expires_stale_checkouts_and_is_idempotent(app, client, oil, runner):
    start(client, oil)
    order = only_order()
    order.hold_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["shop", "release-expired"])
    assert "Released 1" in result.output
    assert only_order().status == "expired"
    assert stock_of(oil.variants[0].id) == 10
    assert "Released 0" in runner.invoke(args=["shop", "release-expired"]).output
    assert stock_of(oil.variants[0].id) == 10
    holds = db.session.scalars(select(StockMovement.reason).where(StockMovement.order_id == order.id)).all()
    assert sorted(holds) == ["hold", "release"]
    assert_ledger_balances()


def test_the_sweeper_leaves_fresh_checkouts_alone(app, client, oil):
    start(client, oil)
    assert release_expired(get_gateway()).released == 0
    assert only_order().status == "pending_payment"


def test_an_unknown_session_on_the_success_page_is_a_404(client, oil):
    assert client.get("/checkout/success?session_id=cs_test_nope").status_code == 404
    assert client.get("/checkout/success").status_code == 404
