"""In the browser: a postcode, express delivery and a discount code, paid on the demo page, all three on the receipt."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.delivery_steps import choose_delivery

pytestmark = pytest.mark.e2e


def test_postcode_express_and_a_code_reach_the_receipt(app, live_server, page, demo):
    page.goto(live_server + "/products/grapeseed-massage-oil")
    page.get_by_role("radio", name=re.compile(r"^250 ml")).check()
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()  # 2 × £12.99
    choose_delivery(page, "iv2 3ab", "Royal Mail Tracked 24")
    summary = page.locator("#cart-summary")
    expect(summary).to_contain_text("Delivery to IV2 3AB (Highlands and Islands)")
    expect(summary.locator("[data-cart-total]")).to_have_text("£36.93")  # £25.98 + £10.95, without a reload
    page.get_by_label("Discount code").fill(" welcome10 ")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".flashes")).to_contain_text("The code WELCOME10 is applied.")
    expect(summary).to_contain_text("Discount (WELCOME10)")
    expect(summary.locator("[data-cart-discount]")).to_have_text("−£2.60")
    expect(summary.locator("[data-cart-total]")).to_have_text("£34.33")

    page.get_by_role("button", name="Checkout").click()
    pay_page = page.locator("main")
    expect(pay_page).to_contain_text("Discount (WELCOME10)")
    expect(pay_page).to_contain_text("Royal Mail Tracked 24")
    page.get_by_role("button", name="Pay £34.33 (demo)").click()
    expect(page.locator("h1")).to_contain_text("is confirmed")
    page.get_by_role("link", name="Receipt").click()
    receipt = page.locator(".receipt")
    expect(receipt).to_contain_text("Discount (WELCOME10)")
    expect(receipt).to_contain_text("−£2.60")
    expect(receipt).to_contain_text("Royal Mail Tracked 24")
    expect(receipt).to_contain_text("£10.95")
    expect(receipt.locator(".summary-total").first).to_contain_text("£34.33")
    assert page.console_errors == []
