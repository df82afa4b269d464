"""The patient's "I have read the allergen and caution notes" box: a large target the error leads to."""
import pytest
from sqlalchemy import select

from shop.careplans.models import CarePlan, CarePlanItem
from shop.catalog.models import Variant
from shop.extensions import db
from tests import factories as make

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [390, 1280])
def test_the_allergen_box_is_large_and_the_error_takes_the_patient_to_it(app, live_server, browser, demo, width):
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    almond = db.session.scalar(select(Variant).where(Variant.sku == "OIL-ALM-0100"))  # tree nuts
    plan = CarePlan(practitioner_id=jo.id, title="Lower back", items=[CarePlanItem(variant_id=almond.id, quantity=1, position=0)])
    db.session.add(plan)
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/plan/{plan.token}")

    box = page.locator("#acknowledge").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24

    page.get_by_role("button", name="Add the plan to my cart").click()
    link = page.locator(".error-summary a[href='#acknowledge']")
    assert "read the allergen and caution notes" in link.inner_text()
    assert page.evaluate("document.activeElement.id") == "acknowledge"  # focus is on the box, not the top of the page
    assert "has-error" in page.locator(".acknowledge").get_attribute("class")
    assert page.locator("#acknowledge").get_attribute("aria-invalid") == "true"

    # The words are part of the target: clicking them ticks the box.
    page.locator(".acknowledge label span").click()
    assert page.locator("#acknowledge").is_checked()
    page.get_by_role("button", name="Add the plan to my cart").click()
    assert page.url.endswith("/cart")
    context.close()
