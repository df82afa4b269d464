"""An admin in a real browser: receives a delivery, sees the shop's stock rise, refunds part of an order."""
from playwright.sync_api import expect
import pytest

from shop.extensions import db
from tests import factories as make
from tests.admin.support import pass_code_in_browser, with_second_factor

pytestmark = pytest.mark.e2e


def test_admin_receives_stock_and_refunds_part_of_an_order(app, live_server, page):
    admin = make.user("boss@example.com", role="admin")
    with_second_factor(admin)
    cream = make.product("Arnica Cream", slug="arnica-cream", sizes=((100, 1500, 1),))
    variant = cream.variants[0]
    order = make.paid_order(None, [(variant, 2)], email="ann@example.com")
    order.payment_intent_id = "demo_pi_browser"
    db.session.commit()

    page.goto(live_server + "/products/arnica-cream")
    assert "Only 1 left" in page.locator(".buy-box").inner_text()

    # Sign in; the back office is in the header for admins.
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    pass_code_in_browser(page, admin)  # and the code from the authenticator app
    page.get_by_role("link", name="Back office").click()
    expect(page.locator("h1")).to_have_text("Back office", use_inner_text=True)

    # Receive a delivery of 3.
    page.get_by_role("link", name="Receive a delivery").first.click()
    page.get_by_label("Supplier's delivery reference").fill("PO-2231")
    page.get_by_label("SKU, line 1").fill(variant.sku)
    page.get_by_label("Units, line 1").fill("3")
    page.get_by_label("Lot code, line 1").fill("AC-2231")
    page.get_by_label("Period after opening in months, line 1").fill("12")
    page.get_by_role("button", name="Receive delivery").click()
    assert f"Delivery PO-2231 received: 3 × {variant.sku} (now 4)" in page.locator(".flashes").inner_text()

    page.goto(live_server + "/products/arnica-cream")
    assert "Only 4 left" in page.locator(".buy-box").inner_text()

    # Refund £5.00 of the £30.00 order, confirming first.
    page.goto(live_server + "/admin/orders")
    page.get_by_label("Order number or email").fill("ann@example.com")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=order.number).click()
    page.get_by_label("Amount to refund (£)").fill("5.00")
    page.get_by_label("Note (for our records)").fill("lid cracked")
    page.get_by_role("button", name="Refund…").click()
    expect(page.locator("h1")).to_have_text(f"Refund £5.00 on order {order.number}?", use_inner_text=True)
    page.get_by_role("button", name="Refund £5.00").click()
    assert f"Refunded £5.00 on order {order.number}." in page.locator(".flashes").inner_text()
    expect(page.locator("#refunded-total")).to_have_text("£5.00", use_inner_text=True)
    assert "Up to £25.00 can still be refunded" in page.locator("main").inner_text()
    assert page.console_errors == []
