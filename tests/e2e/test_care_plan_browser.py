"""A patient opens a care plan link, ticks the cautions, buys through the Stripe double; the practitioner sees one order."""
from playwright.sync_api import expect
import pytest
from sqlalchemy import select

from shop.careplans.models import CarePlan, CarePlanItem
from shop.catalog.models import Variant
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.factories import PASSWORD
from tests.e2e.delivery_steps import choose_delivery
from tests.helpers import assert_ledger_balances
from tests.stripe.double import stripe_settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def app_settings(double):
    return stripe_settings(double.url, timeout=5, retries=1)


def variant(sku):
    return db.session.scalar(select(Variant).where(Variant.sku == sku))


def test_patient_buys_a_care_plan_and_the_practitioner_sees_one_order(app, live_server, double, page, browser, demo):
    double.webhook_url = live_server + "/stripe/webhook"
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    almond = variant("OIL-ALM-0100")  # sweet almond oil: a tree-nut allergen
    plan = CarePlan(practitioner_id=jo.id, title="Lower back, weeks 1–4", items=[
        CarePlanItem(variant_id=almond.id, quantity=1, note="Warm a little in your hands; massage twice daily.", position=0)])
    db.session.add(plan)
    db.session.commit()

    failures = []
    page.on("response", lambda r: failures.append((r.url, r.status)) if r.status >= 400 and r.url.startswith(live_server) else None)
    page.goto(f"{live_server}/plan/{plan.token}")
    expect(page.locator("h1")).to_have_text("Lower back, weeks 1–4", use_inner_text=True)
    assert "Harbour Physio" in page.locator(".lead").inner_text()
    assert "massage twice daily" in page.locator(".plan-note").inner_text()
    page.get_by_role("button", name="Add the plan to my cart").click()
    assert "read the allergen and caution notes" in page.locator(".error-summary").inner_text()
    page.get_by_label("I have read the allergen and caution notes").check()
    page.get_by_role("button", name="Add the plan to my cart").click()
    assert page.url.endswith("/cart")
    choose_delivery(page)
    page.get_by_role("button", name="Checkout").click()
    page.locator("#pay").click()
    assert "is confirmed" in page.locator("h1").inner_text()

    db.session.expire_all()
    order = db.session.scalars(select(Order)).one()
    assert order.status == "paid" and order.care_plan_id == plan.id

    practitioner = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    practitioner.goto(live_server + "/account/sign-in")
    practitioner.get_by_label("Email address").fill("jo@clinic.example")
    practitioner.get_by_label("Password").fill(PASSWORD)
    practitioner.get_by_role("button", name="Sign in").click()
    practitioner.goto(f"{live_server}/plans/{plan.id}")
    summary = practitioner.locator(".lead").inner_text()
    assert "Opened 1 time" in summary and "1 order from this plan" in summary
    body = practitioner.locator("main").inner_text()
    assert "1 Clinic Road" not in body and order.number not in body  # counts only, never the patient
    practitioner.context.close()
    # The one failed response from the shop is the refused add (cautions not ticked); the Stripe
    # double's own page has no favicon, which is not the shop's concern.
    assert [(url.replace(live_server, ""), status) for url, status in failures] == [(f"/plan/{plan.token}/add", 400)]
    assert_ledger_balances()
