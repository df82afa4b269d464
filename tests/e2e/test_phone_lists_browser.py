"""At 390 px a practitioner's lists are cards: every quantity box and button is on screen, nothing scrolls sideways."""
import pytest
from sqlalchemy import select

from shop.accounts.models import SupplyItem
from shop.careplans.models import CarePlan, CarePlanItem
from shop.catalog.models import Variant
from shop.extensions import db
from tests import factories as make
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}

# Every quantity box and button in the page's main part, with where it sits; and the page's own width.
OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const off = [...document.querySelectorAll('main input[type=number], main button')]
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.left < 0 || box.right > width + 0.5 || box.width === 0)
    .map(([el, box]) => `${el.tagName} ${el.id || el.textContent.trim()} at ${Math.round(box.left)}-${Math.round(box.right)}`);
  return {off, scrollWidth: document.documentElement.scrollWidth, width, count: document.querySelectorAll('main input[type=number]').length};
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_quick_order_supplies_and_care_plans_fit_a_phone(app, live_server, phone, demo):
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    sizes = db.session.scalars(select(Variant).order_by(Variant.id).limit(4)).all()
    for v in sizes:
        db.session.add(SupplyItem(clinic_id=jo.clinic.id, variant_id=v.id, quantity=3))  # an owner's list is the clinic's
    plan = CarePlan(practitioner_id=jo.id, title="Post-op knee rehabilitation, weeks 1 to 6", is_template=True,
                    items=[CarePlanItem(variant_id=v.id, quantity=2, note="Twice daily.", position=n) for n, v in enumerate(sizes)])
    db.session.add(plan)
    db.session.commit()

    phone.goto(live_server + "/account/sign-in")
    phone.get_by_label("Email address").fill("jo@clinic.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    for path, quantity_boxes in (("/quick-order", 99), ("/account/supplies", 4), ("/plans", 0),
                                 (f"/plans/{plan.id}?q=arnica", 4 + 12)):
        phone.goto(live_server + path)
        found = phone.evaluate(OFF_SCREEN)
        assert found["off"] == [], path
        assert found["scrollWidth"] <= found["width"], path
        assert found["count"] == quantity_boxes, path
    # The plan list's action is a real button on screen too.
    phone.goto(live_server + "/plans")
    assert phone.get_by_role("button", name="Use for a new patient").is_visible()
