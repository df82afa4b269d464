"""A patient buying from a care plan: the clinic's discount is what Stripe is asked to charge."""
from sqlalchemy import select

from shop.careplans.models import CarePlan, CarePlanItem
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import checkout, page_token


def test_the_discount_reaches_stripe_and_the_order_is_credited_to_the_plan(app, double):
    arnica = make.product("Arnica Cream", sizes=((100, 1499, 20),))
    gel = make.product("Cooling Gel", sizes=((100, 1000, 20),))
    jo = make.user("jo@clinic.example", trade_status="approved", clinic_name="Harbour Physio")
    jo.trade_account.patient_discount_percent = 15
    plan = CarePlan(practitioner_id=jo.id, title="Shoulder", items=[CarePlanItem(variant_id=arnica.variants[0].id, quantity=3)])
    db.session.add(plan)
    db.session.commit()

    patient = app.test_client()
    data = {f"include-{plan.items[0].id}": "on", f"qty-{plan.items[0].id}": "3",
            "csrf_token": page_token(patient, f"/plan/{plan.token}")}
    assert patient.post(f"/plan/{plan.token}/add", data=data).status_code == 303
    patient.post("/cart/add", data={"variant_id": gel.variants[0].id, "quantity": 1, "csrf_token": page_token(patient, "/cart")})
    assert checkout(patient).status_code == 303

    (request,) = [r for r in double.requests if r["method"] == "POST" and r["path"] == "/v1/checkout/sessions"]
    items = {i["price_data"]["product_data"]["name"]: i for i in request["params"]["line_items"]}
    # £14.99 less 15% (£2.25 a unit, rounded half up) = £12.74; the gel is not in the plan.
    assert (items["Arnica Cream"]["price_data"]["unit_amount"], items["Arnica Cream"]["quantity"]) == ("1274", "3")
    assert "15% patient discount from Harbour Physio" in items["Arnica Cream"]["price_data"]["product_data"]["description"]
    assert items["Cooling Gel"]["price_data"]["unit_amount"] == "1000"
    order = db.session.scalars(select(Order)).one()
    assert (order.subtotal_pence, order.discount_pence, order.care_plan_id) == (1274 * 3 + 1000, 225 * 3, plan.id)
    assert double.sessions[order.checkout_session_id]["amount_total"] == order.total_pence
    assert order.pricing == "retail" and order.user_id is None


def test_each_discounted_line_keeps_its_discount_label_on_the_order(app, double):
    arnica = make.product("Arnica Cream", sizes=((100, 1499, 20),))
    gel = make.product("Cooling Gel", sizes=((100, 1000, 20),))
    jo = make.user("jo@clinic.example", trade_status="approved", clinic_name="Harbour Physio")
    jo.trade_account.patient_discount_percent = 10
    plan = CarePlan(practitioner_id=jo.id, title="Shoulder", items=[CarePlanItem(variant_id=arnica.variants[0].id, quantity=1)])
    db.session.add(plan)
    db.session.commit()

    patient = app.test_client()
    data = {f"include-{plan.items[0].id}": "on", f"qty-{plan.items[0].id}": "1",
            "csrf_token": page_token(patient, f"/plan/{plan.token}")}
    assert patient.post(f"/plan/{plan.token}/add", data=data).status_code == 303
    patient.post("/cart/add", data={"variant_id": gel.variants[0].id, "quantity": 1, "csrf_token": page_token(patient, "/cart")})
    assert checkout(patient).status_code == 303

    # The order says which discount each line was sold with, whatever the clinic sets later.
    order = db.session.scalars(select(Order)).one()
    labels = {line.product_name: line.discount_label for line in order.lines}
    assert labels == {"Arnica Cream": "10% patient discount from Harbour Physio", "Cooling Gel": None}
    jo.trade_account.patient_discount_percent = 20
    db.session.commit()
    db.session.expire_all()
    assert {line.product_name: line.discount_label for line in order.lines} == labels
