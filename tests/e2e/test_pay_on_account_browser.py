"""A buyer of a clinic on 30-day terms orders on account in a real browser, pays the invoice on the demo
invoice page, and sees the order paid. (The buyer is added in the setup; once the clinic team's invitations
exist, the owner inviting them can come first.)"""
import pytest
from playwright.sync_api import expect

from shop.clock import utcnow
from shop.invoicing.preparing import prepare_invoices
from shop.payments.services import get_gateway
from tests import factories as make
from tests.e2e.delivery_steps import choose_delivery
from tests.helpers import assert_ledger_balances, ensure_delivery, stock_of
from tests.invoicing.support import add_buyer, clinic_on_terms, only_invoice, orders

pytestmark = pytest.mark.e2e


def test_a_clinic_buyer_orders_on_account_and_pays_the_invoice(app, live_server, page):
    ensure_delivery()
    balm = make.product("Arnica Balm", slug="arnica-balm", sizes=((500, 3600, 5),))
    owner = clinic_on_terms(days=30, credit_pence=50_000)
    buyer = add_buyer(owner, email="bea@harbour.example")

    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(buyer.email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/products/arnica-balm")
    page.get_by_role("button", name="Add to cart").click()
    choose_delivery(page)
    page.get_by_role("button", name="Pay by invoice (30 days)").click()

    expect(page.locator("h1")).to_have_text(f"Order {orders()[0].number}")
    expect(page.locator(".invoice-panel")).to_contain_text("Your invoice is being prepared")
    assert stock_of(balm.variants[0].id) == 4

    with app.app_context(), app.test_request_context(base_url=live_server):  # the worker's invoice job
        assert prepare_invoices(get_gateway(), utcnow()) == "invoices sent 1, gateway unavailable for 0"
    page.reload()
    expect(page.locator(".invoice-panel")).to_contain_text(only_invoice().number)
    page.get_by_role("link", name="View and pay the invoice").click()
    expect(page.locator(".demo-banner")).to_contain_text("no money moves")
    page.get_by_role("button", name="Pay £").click()

    expect(page.locator(".status-pill").first).to_have_text("Paid")
    expect(page.locator("[data-invoice-status]")).to_have_text("Paid")
    assert orders()[0].status == "paid" and only_invoice().status == "paid"
    assert_ledger_balances()
    assert not page.console_errors
