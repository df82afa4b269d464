"""Signed out in another tab while on the payment page: plain words, the order stays payable, cancel gives the cart back."""
from playwright.sync_api import expect
import re

import pytest
from sqlalchemy import select

from shop.catalog.models import Variant
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.factories import PASSWORD
from tests.e2e.delivery_steps import choose_delivery
from tests.helpers import assert_ledger_balances, stock_of

pytestmark = pytest.mark.e2e


def test_signed_out_in_another_tab_then_pay_then_cancel(app, live_server, page, demo):
    make.user("jo@example.com", name="Jo")
    oil = db.session.scalar(select(Variant).where(Variant.sku == "OIL-GRP-0100"))
    before = stock_of(oil.id)
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill("jo@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/products/grapeseed-massage-oil")
    page.get_by_role("radio", name=re.compile(r"^100 ml")).check()
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    choose_delivery(page)
    page.get_by_role("button", name="Checkout").click()
    assert "/demo-pay/" in page.url
    pay_page = page.url

    other_tab = page.context.new_page()
    other_tab.goto(live_server + "/account")
    other_tab.get_by_role("button", name="Sign out").click()
    assert "signed out" in other_tab.locator(".flashes").inner_text()
    other_tab.close()

    page.get_by_role("button", name="Pay £").click()
    assert page.url == pay_page  # back on the payment page, not an error page
    said = page.locator(".flashes").inner_text()
    assert "Your session expired" in said and "Nothing was charged" in said and "CSRF" not in page.content()
    db.session.expire_all()
    assert db.session.scalars(select(Order)).one().status == "pending_payment"

    page.get_by_role("button", name="Cancel and return to your cart").click()
    assert page.url.endswith("/cart")
    assert "Everything is still in your cart" in page.locator(".flashes").inner_text()
    expect(page.locator(".cart-count")).to_have_text("2", use_inner_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(Order)).one().status == "cancelled"
    assert stock_of(oil.id) == before
    assert_ledger_balances()
