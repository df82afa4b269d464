"""The whole of a clinic on terms in a real browser: its owner invites a buyer, the buyer joins with a new
password and orders on 30-day terms, the owner finds the invoice in the clinic's invoices and pays it on the
demo invoice page, and the buyer's order shows paid."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.clock import utcnow
from shop.extensions import db
from shop.messages.models import Message
from shop.invoicing.preparing import prepare_invoices
from shop.payments.services import get_gateway
from tests import factories as make
from tests.e2e.delivery_steps import choose_delivery
from tests.helpers import assert_ledger_balances, ensure_delivery, stock_of
from tests.invoicing.support import clinic_on_terms, only_invoice, orders

pytestmark = pytest.mark.e2e


def sign_in(page, live_server, email):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_owner_invites_a_buyer_who_orders_on_account_and_the_owner_pays_the_invoice(app, live_server, browser, page):
    ensure_delivery()
    balm = make.product("Arnica Balm", slug="arnica-balm", sizes=((500, 3600, 5),))
    owner = clinic_on_terms(days=30, credit_pence=50_000)

    owners_page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(owners_page, live_server, owner.email)
    owners_page.goto(live_server + "/account/clinic")
    owners_page.get_by_label("Their email address").fill("bea@harbour.example")
    owners_page.get_by_role("button", name="Send invitation").click()
    expect(owners_page.locator("body")).to_contain_text("bea@harbour.example")
    owners_page.context.close()
    text = db.session.scalars(select(Message.text_body).where(Message.recipient == "bea@harbour.example")).one()
    join_path = re.search(r"https?://[^/\s]+(/clinic/join/\S+)", text).group(1)

    page.goto(live_server + join_path)
    page.get_by_label("Your name").fill("Bea Buyer")
    page.get_by_label("Choose a password").fill(make.PASSWORD)
    page.get_by_label("Password again").fill(make.PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.locator("body")).to_contain_text("Welcome to")
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

    # The owner, who pays the clinic's bills, finds the buyer's invoice among the clinic's and pays it.
    owners_page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(owners_page, live_server, owner.email)
    owners_page.goto(live_server + "/account/invoices")
    expect(owners_page.locator("main")).to_contain_text(only_invoice().number)
    owners_page.get_by_role("link", name="Pay", exact=True).click()
    expect(owners_page.locator(".demo-banner")).to_contain_text("no money moves")
    owners_page.get_by_role("button", name="Pay £").click()
    owners_page.context.close()

    page.reload()  # the buyer sees it paid
    expect(page.locator(".status-pill").first).to_have_text("Paid")
    expect(page.locator("[data-invoice-status]")).to_have_text("Paid")
    assert orders()[0].status == "paid" and only_invoice().status == "paid"
    assert_ledger_balances()
    assert not page.console_errors
