"""A form whose session is gone (signed out in another tab, cookie cleared): plain words, back to the page, no hold left behind."""
import html
import re

import pytest
from sqlalchemy import select

from shop.cart.services import clean_cart
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, assert_ledger_balances, checkout, page_token, sign_in, stock_of

HOST = "http://localhost"


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 10),))


def lose_the_session(client):
    """What signing out in another tab does to this tab: the session (and its CSRF token) is cleared."""
    with client.session_transaction() as session:
        session.clear()


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def cart_of(client):
    with client.session_transaction() as session:
        return clean_cart(session.get("cart"))


def test_an_expired_form_goes_back_to_its_page_and_says_what_happened(app, client, oil):
    token = page_token(client, "/products/grapeseed-oil")
    lose_the_session(client)
    answer = client.post("/cart/add", data={"variant_id": oil.variants[0].id, "quantity": 1, "csrf_token": token},
                         headers={"Referer": f"{HOST}/products/grapeseed-oil?size=100"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/products/grapeseed-oil?size=100"
    page = text_of(client.get(answer.headers["Location"]))
    assert "Your session expired (for example, you signed out in another tab), so we couldn't do that. Nothing was changed." in page
    assert "CSRF" not in page
    assert cart_of(client) == {}


@pytest.mark.parametrize("referer", [None, "https://elsewhere.example/products/grapeseed-oil", "//elsewhere.example/x"])
def test_without_a_page_of_ours_to_go_back_to_it_is_a_plain_400(app, client, oil, referer):
    token = page_token(client, "/products/grapeseed-oil")
    lose_the_session(client)
    answer = client.post("/cart/add", data={"variant_id": oil.variants[0].id, "quantity": 1, "csrf_token": token},
                         headers={"Referer": referer} if referer else {})
    assert answer.status_code == 400  # never a redirect to another site
    page = text_of(answer)
    assert "<h1>Your session expired</h1>" in page and "Please try again." in page and "CSRF" not in page


def test_signed_out_while_paying_the_order_stays_payable_and_nothing_is_charged(app, client, oil):
    make.user("jo@example.com")
    sign_in(client, "jo@example.com", PASSWORD)
    add_to_cart(client, oil.variants[0].id, 3)
    pay_page = checkout(client).headers["Location"].removeprefix(HOST)
    old_token = page_token(client, pay_page)
    pay_action = re.search(r'action="(/demo-pay/[^"]+/pay)"', client.get(pay_page).get_data(as_text=True)).group(1)
    # Signed out in another tab: the session is cleared, so this tab's token no longer matches.
    client.post("/account/sign-out", data={"csrf_token": page_token(client, "/account")})

    answer = client.post(pay_action, data={"csrf_token": old_token}, headers={"Referer": HOST + pay_page})
    assert answer.status_code == 303 and answer.headers["Location"] == pay_page
    page = text_of(client.get(pay_page))
    assert "so we couldn't take the payment. Nothing was charged, and your order is still held for you" in page
    db.session.expire_all()
    order = db.session.scalars(select(Order)).one()
    assert order.status == "pending_payment" and stock_of(oil.variants[0].id) == 7

    # Pressing Pay again works: the page gave a fresh token.
    paid = client.post(pay_action, data={"csrf_token": page_token(client, pay_page)})
    assert paid.status_code == 303 and "/checkout/success" in paid.headers["Location"]
    client.get(paid.headers["Location"])
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "paid"
    assert_ledger_balances()


def test_signed_out_while_paying_cancel_releases_the_hold_and_gives_the_cart_back(app, client, oil):
    make.user("jo@example.com")
    sign_in(client, "jo@example.com", PASSWORD)
    add_to_cart(client, oil.variants[0].id, 3)
    pay_page = checkout(client).headers["Location"].removeprefix(HOST)
    cancel_action = re.search(r'action="(/demo-pay/[^"]+/cancel)"', client.get(pay_page).get_data(as_text=True)).group(1)
    client.post("/account/sign-out", data={"csrf_token": page_token(client, "/account")})
    assert cart_of(client) == {}

    cancelled = client.post(cancel_action, data={"csrf_token": page_token(client, pay_page)})
    assert cancelled.status_code == 303
    back = client.get(cancelled.headers["Location"])  # the cancel link works by the order's token, not the session
    assert back.status_code == 303 and back.headers["Location"].endswith("/cart")
    assert "Everything is still in your cart" in text_of(client.get("/cart"))
    assert cart_of(client) == {oil.variants[0].id: 3}
    db.session.expire_all()
    assert db.session.scalars(select(Order)).one().status == "cancelled"
    assert stock_of(oil.variants[0].id) == 10
    assert_ledger_balances()
