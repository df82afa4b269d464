"""Buying in a real browser: product page, cart, payment page, and back to the shop."""
from playwright.sync_api import expect
import re

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from tests.e2e.delivery_steps import choose_delivery
from tests.helpers import assert_ledger_balances, outbox, stock_of
from tests.stripe.double import stripe_settings

pytestmark = pytest.mark.e2e


def variant_of(sku):
    from shop.catalog.models import Variant

    return db.session.scalar(select(Variant).where(Variant.sku == sku))


def add_grapeseed_to_cart(page, live_server, quantity="2"):
    page.goto(live_server + "/products?category=oils")
    page.get_by_role("link", name="Grapeseed Massage Oil").click()
    page.get_by_role("radio", name=re.compile(r"^100 ml")).check()
    page.get_by_label("Quantity").fill(quantity)
    page.get_by_role("button", name="Add to cart").click()
    assert page.url.endswith("/cart")
    expect(page.locator(".cart-count")).to_have_text(quantity, use_inner_text=True)
    assert "Grapeseed Massage Oil" in page.locator(".cart-lines").inner_text()


def only_order():
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


class TestDemoGateway:
    def test_buy_with_the_demo_payment_page(self, app, live_server, page, demo):
        before = stock_of(variant_of("OIL-GRP-0100").id)
        add_grapeseed_to_cart(page, live_server)
        choose_delivery(page)
        page.get_by_role("button", name="Checkout").click()
        assert "/demo-pay/" in page.url
        assert "no money moves" in page.locator(".demo-banner").inner_text()
        page.get_by_role("button", name="Pay £").click()

        assert "/checkout/success" in page.url
        assert "is confirmed" in page.locator("h1").inner_text()
        expect(page.locator(".status-paid")).to_have_text("Paid", use_inner_text=True)
        expect(page.locator(".cart-count")).to_have_text("0", use_inner_text=True)
        order = only_order()
        assert order.status == "paid"
        assert stock_of(variant_of("OIL-GRP-0100").id) == before - 2
        assert len(outbox(app)) == 1
        assert page.console_errors == []
        assert_ledger_balances()

    def test_cancel_on_the_demo_page_returns_to_the_cart(self, app, live_server, page, demo):
        before = stock_of(variant_of("OIL-GRP-0100").id)
        add_grapeseed_to_cart(page, live_server)
        choose_delivery(page)
        page.get_by_role("button", name="Checkout").click()
        assert stock_of(variant_of("OIL-GRP-0100").id) == before - 2
        page.get_by_role("button", name="Cancel and return to your cart").click()
        assert page.url.endswith("/cart")
        assert "Everything is still in your cart" in page.locator(".flashes").inner_text()
        expect(page.locator(".cart-count")).to_have_text("2", use_inner_text=True)
        assert stock_of(variant_of("OIL-GRP-0100").id) == before
        assert only_order().status == "cancelled"


class TestStripeDouble:
    @pytest.fixture
    def app_settings(self, double):
        return stripe_settings(double.url, timeout=5, retries=1)

    @pytest.fixture
    def stripe_server(self, live_server, double):
        double.webhook_url = live_server + "/stripe/webhook"
        return live_server

    def test_pay_on_the_hosted_page_and_land_on_the_paid_order(self, app, stripe_server, double, page, demo):
        before = stock_of(variant_of("OIL-GRP-0100").id)
        add_grapeseed_to_cart(page, stripe_server)
        choose_delivery(page)
        page.get_by_role("button", name="Checkout").click()
        assert page.url.startswith(double.url + "/pay/cs_test_")
        page.locator("#pay").click()

        assert "/checkout/success" in page.url
        assert "is confirmed" in page.locator("h1").inner_text()
        assert "1 Clinic Road" in page.locator("address").inner_text()
        order = only_order()
        assert order.status == "paid"
        # The webhook and the success page both ran; the order moved to paid once, one email went.
        assert [d["status"] for d in double.deliveries] == [200]
        assert [e.to_status for e in order.events] == ["paid"]
        assert stock_of(variant_of("OIL-GRP-0100").id) == before - 2
        assert len(outbox(app)) == 1
        assert_ledger_balances()

    def test_cancel_on_the_hosted_page(self, app, stripe_server, double, page, demo):
        before = stock_of(variant_of("OIL-GRP-0100").id)
        add_grapeseed_to_cart(page, stripe_server)
        choose_delivery(page)
        page.get_by_role("button", name="Checkout").click()
        page.locator("#cancel").click()
        assert page.url.endswith("/cart")
        expect(page.locator(".cart-count")).to_have_text("2", use_inner_text=True)
        order = only_order()
        assert order.status == "cancelled"
        assert double.sessions[order.checkout_session_id]["status"] == "expired"
        assert stock_of(variant_of("OIL-GRP-0100").id) == before
