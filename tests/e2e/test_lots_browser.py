"""Lots in a real browser: a delivery of two lots, a purchase, the lot on the receipt and the packing slip,
a recall whose notice lands in the outbox, and a size whose only lot expired shown as out of stock."""
import os
import re
from datetime import datetime, timedelta

import pytest

from shop.clock import utcnow
from shop.messages.jobs import JOBS, run_due_jobs
from tests import factories as make
from tests.admin.support import pass_code_in_browser, with_second_factor
from tests.e2e.delivery_steps import choose_delivery
from tests.helpers import ensure_delivery
from tests.helpers import email_text, outbox
from tests.lots.support import receive

pytestmark = pytest.mark.e2e


def look(page, name):
    """With LOOK_AT=<folder>, keep a screenshot to look at (never in CI)."""
    if os.environ.get("LOOK_AT"):
        page.screenshot(path=os.path.join(os.environ["LOOK_AT"], f"{name}.png"), full_page=True)


def test_receive_two_lots_buy_see_the_lot_recall_it_and_an_expired_lot_is_out_of_stock(app, live_server, page):
    admin = make.user("boss@example.com", role="admin")
    with_second_factor(admin)
    balm = make.product("Arnica Balm", slug="arnica-balm", sizes=((50, 899, 0),))
    sku = balm.variants[0].sku
    today = utcnow().date()
    soon, later = today + timedelta(days=200), today + timedelta(days=500)

    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    pass_code_in_browser(page, admin)

    # A delivery with two lots of the same size.
    page.goto(live_server + "/admin/stock/receive")
    page.get_by_label("Supplier's delivery reference").fill("PO-501")
    for n, (lot, units, expires) in enumerate((("AB-EARLY", "2", soon), ("AB-LATE", "3", later)), start=1):
        page.get_by_label(f"SKU, line {n}").fill(sku)
        page.get_by_label(f"Units, line {n}").fill(units)
        page.get_by_label(f"Lot code, line {n}").fill(lot)
        page.get_by_label(f"Expiry date, line {n}").fill(expires.isoformat())
    look(page, "receive-form")
    page.get_by_role("button", name="Receive delivery").click()
    assert f"Delivery PO-501 received: 2 × {sku} (now 2), 3 × {sku} (now 5)" in page.locator(".flashes").inner_text()

    # A customer buys two: the earliest-expiring lot goes first, and the product page says how long it keeps.
    ensure_delivery()
    shopper = page.context.browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    shopper.goto(live_server + "/products/arnica-balm")
    assert "At least 6 months before expiry" in shopper.locator(".buy-box").inner_text()
    look(shopper, "product-phone")
    shopper.get_by_label("Quantity").fill("2")
    shopper.get_by_role("button", name="Add to cart").click()
    choose_delivery(shopper)
    shopper.get_by_role("button", name="Checkout").click()
    shopper.get_by_role("button", name="Pay £").click()
    assert "is confirmed" in shopper.locator("h1").inner_text()
    shopper.get_by_role("link", name="Receipt").click()
    assert f"Lot AB-EARLY, Best before {soon:%d %b %Y}" in shopper.locator("main").inner_text()
    look(shopper, "receipt-phone")

    # The packing slip names the lot; the lot's page lists the order; the recall tells the customer.
    page.goto(live_server + "/admin/orders")
    page.locator("table a").filter(has_text=re.compile(r"^EC\d+")).first.click()
    page.get_by_role("link", name="Packing slip").click()
    assert "AB-EARLY" in page.locator(".pick-list").inner_text()
    look(page, "packing-slip")
    page.goto(live_server + "/admin/lots?q=AB-EARLY")
    page.get_by_role("link", name="AB-EARLY").click()
    page.get_by_label("What customers should do").fill("Stop using it and reply to this email for a refund.")
    page.get_by_role("button", name="Recall lot AB-EARLY").click()
    page.get_by_role("button", name="Recall this lot").click()
    assert "Lot AB-EARLY recalled: 0 unit(s) taken off sale; 1 customer(s) emailed." in page.locator(".flashes").inner_text()
    assert "Not told" not in page.locator("main").inner_text()
    look(page, "lot-page")
    [notice] = [p for p in outbox(app) if "recall" in email_text(p).lower()]
    assert "lot AB-EARLY" in email_text(notice) and "reply to this email for a refund" in email_text(notice)

    # A size whose only lot has expired: the daily job takes it off sale, and the shop says out of stock.
    gel = make.product("Old Gel", slug="old-gel", sizes=((100, 500, 0),))
    receive(admin, gel.variants[0], ("OG-1", 4, (today + timedelta(days=31)).isoformat()), on=today - timedelta(days=300))
    with app.app_context():
        run_due_jobs(datetime.combine(today + timedelta(days=40), datetime.min.time()),
                     jobs=[job for job in JOBS if job.name == "lot-expiry"])
    shopper.goto(live_server + "/products/old-gel")
    assert "Out of stock" in shopper.locator(".buy-box").inner_text()
    look(shopper, "expired-only-lot-phone")
    assert page.console_errors == []
