"""A physiotherapist in a real browser: registers, applies, is approved, reorders at trade prices and pays."""
from playwright.sync_api import expect
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.accounts.models import User
from shop.catalog.models import Variant
from shop.clock import utcnow
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.e2e.delivery_steps import choose_delivery
from tests.helpers import assert_ledger_balances, links_in_outbox

pytestmark = pytest.mark.e2e
PASSWORD = "lavender fields at dawn"


def variant(sku):
    return db.session.scalar(select(Variant).where(Variant.sku == sku))


def test_practitioner_applies_is_approved_and_reorders_at_trade_prices(app, live_server, page, demo, runner):
    # Register and confirm the email address.
    page.goto(live_server + "/account/register")
    page.get_by_label("Your name").fill("Jo Physio")
    page.get_by_label("Email address").fill("jo@clinic.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email", use_inner_text=True)
    [confirm] = links_in_outbox(app, "/account/verify/")
    page.goto(live_server + confirm)
    expect(page.locator("h1")).to_have_text("Your account", use_inner_text=True)

    # Apply for a trade account.
    page.get_by_role("link", name="Apply for a trade account").first.click()
    page.get_by_label("Clinic or practice name").fill("Harbour Physio")
    page.get_by_label("Profession", exact=True).select_option("physiotherapist")
    page.get_by_label("Professional body").fill("HCPC")
    page.get_by_label("Membership or registration number").fill("PH998877")
    page.get_by_label("Clinic address").fill("3 Quay Street")
    page.get_by_label("Town or city").fill("Bristol")
    page.get_by_label("Postcode").fill("BS1 4AA")
    page.get_by_label("Phone").fill("0117 496 0000")
    page.get_by_role("button", name="Apply for a trade account").click()
    assert "being reviewed" in page.locator("main").inner_text()

    # A past order from before, at retail prices, to reorder.
    jo = db.session.scalar(select(User).where(User.email == "jo@clinic.example"))
    oil_5l = variant("OIL-GRP-5000")
    past = make.paid_order(jo, [(oil_5l, 1, oil_5l.price_pence)], paid_at=utcnow() - timedelta(days=40))

    # The admin approves from the command line.
    result = runner.invoke(args=["shop", "approve-practitioner", "jo@clinic.example"])
    assert result.exit_code == 0, result.output

    # Sign out and in again; trade prices show beside retail ones.
    page.goto(live_server + "/account")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill("jo@clinic.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Trade account:" in page.locator(".trade-banner").inner_text()

    page.goto(live_server + "/products/grapeseed-massage-oil")
    trade_text = page.locator(".size-option.is-professional").first.inner_text()
    assert "TRADE" in trade_text.upper()
    assert f"£{oil_5l.trade_price_pence / 100:,.2f}" in page.locator(".buy-box").inner_text()

    # Buy again from the past order, then pay.
    page.goto(live_server + f"/account/orders/{past.id}")
    page.get_by_role("button", name="Buy again").click()
    assert page.url.endswith("/cart")
    flashes = page.locator(".flashes").inner_text()
    assert "Added to your cart: 1 × Grapeseed Massage Oil (5 L)" in flashes
    assert re.search(r"is now £[\d,.]+ each \(you paid £[\d,.]+\)", flashes) is None  # retail then, trade now: not a "price change"
    assert "trade price" in page.locator(".cart-lines").inner_text()
    choose_delivery(page, "LS1 1AA", "DPD courier")  # 5 L is over Royal Mail's 5 kg
    page.get_by_role("button", name="Checkout").click()
    page.get_by_role("button", name="Pay £").click()
    assert "is confirmed" in page.locator("h1").inner_text()

    db.session.expire_all()
    order = db.session.scalars(select(Order).where(Order.id != past.id)).one()
    assert order.status == "paid" and order.pricing == "trade" and order.user_id == jo.id
    assert order.lines[0].unit_price_pence == oil_5l.trade_price_pence < oil_5l.price_pence
    assert page.console_errors == []
    assert_ledger_balances()
