"""A patient who buys from a care plan keeps the plan: in the cart, on the success and order pages and in
the email, with the practitioner's notes and chosen guides, even after the plan is edited or revoked."""
import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from shop.careplans.models import CarePlan, CarePlanItem
from shop.clock import utcnow
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, checkout, csrf_token, email_text, outbox, page_token

NOTE = "Twice daily after a warm shower."


@pytest.fixture
def plan(app):
    arnica = make.product("Arnica Cream", sizes=((100, 1500, 20),), cautions="Not for broken skin.")
    gel = make.product("Cooling Gel", sizes=((100, 1000, 20),))
    chosen = make.guide("Ten-minute home massage", slug="ten-minute-home-massage")
    make.guide("About arnica", slug="about-arnica", products=[arnica])
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    plan = CarePlan(practitioner_id=jo.id, title="Lower back, weeks 1–4", guides=[chosen], items=[
        CarePlanItem(variant_id=arnica.variants[0].id, quantity=1, note=NOTE, position=0),
        CarePlanItem(variant_id=gel.variants[0].id, quantity=2, note="", position=1)])
    db.session.add(plan)
    db.session.commit()
    return plan


def add_plan_to_cart(client, plan):
    data = {"csrf_token": page_token(client, f"/plan/{plan.token}"), "acknowledge": "on"}
    for item in plan.items:
        data[f"include-{item.id}"], data[f"qty-{item.id}"] = "on", str(item.quantity)
    assert client.post(f"/plan/{plan.token}/add", data=data).status_code == 303


def pay(client):
    pay_url = checkout(client).headers["Location"]
    action = re.search(r'action="(/demo-pay/[^"]+/pay)"', client.get(pay_url).get_data(as_text=True)).group(1)
    return client.post(action, data={"csrf_token": csrf_token(client, pay_url)}).headers["Location"]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def shows_the_plan(page: str) -> None:
    text = text_of(page)
    assert "From your care plan Lower back, weeks 1–4" in text, text
    assert "Recommended by Jo Physio, Harbour Physio." in text
    assert "Arnica Cream 100 ml" in text and f"From your practitioner: {NOTE}" in text
    assert 'href="/guides/ten-minute-home-massage"' in page and "Guides your practitioner chose" in text


def test_the_plan_and_its_notes_follow_the_patient_to_the_order_and_the_email(app, plan):
    patient = app.test_client()
    add_plan_to_cart(patient, plan)
    shows_the_plan(patient.get("/cart").get_data(as_text=True))

    success_url = pay(patient)
    shows_the_plan(patient.get(success_url).get_data(as_text=True))
    order = db.session.scalars(select(Order)).one()

    # Later the practitioner rewrites the note, drops the guide and revokes the link.
    plan.items[0].note = "Once a day."
    plan.guides = []
    plan.revoked_at = utcnow()
    db.session.commit()

    shows_the_plan(app.test_client().get(f"/orders/{order.token}").get_data(as_text=True))
    [mail] = outbox(app)
    text = email_text(mail)
    assert 'From your care plan "Lower back, weeks 1–4", recommended by Jo Physio, Harbour Physio.' in text
    assert f"1 x Arnica Cream (100 ml, {plan.items[0].variant.sku})" in text and f"From your practitioner: {NOTE}" in text
    assert re.search(r"Guides your practitioner chose:\n- Ten-minute home massage: https?://\S+/guides/ten-minute-home-massage", text)
    html = text_of(message_from_bytes(mail.read_bytes(), policy=policy.default).get_body(("html",)).get_content())
    assert "From your care plan Lower back, weeks 1–4 , recommended by Jo Physio, Harbour Physio." in html
    assert f"From your practitioner: {NOTE}" in html and "Ten-minute home massage" in html


def test_a_plan_guide_is_listed_once_and_product_guides_still_show(app, plan):
    plan.guides[0].products = [plan.items[1].variant.product]  # the chosen guide is also a product guide
    db.session.commit()
    patient = app.test_client()
    add_plan_to_cart(patient, plan)
    page = patient.get(pay(patient)).get_data(as_text=True)
    assert page.count('href="/guides/ten-minute-home-massage"') == 1
    assert 'href="/guides/about-arnica"' in page  # the arnica product's own guide


def test_an_order_without_a_plan_says_nothing_about_one(app, plan):
    buyer = app.test_client()
    add_to_cart(buyer, plan.items[0].variant_id, 1)
    assert "care plan" not in buyer.get("/cart").get_data(as_text=True)
    page = buyer.get(pay(buyer)).get_data(as_text=True)
    assert "From your care plan" not in page and "From your practitioner" not in page
    assert "care plan" not in email_text(outbox(app)[0])
