"""A practitioner edits a care plan in a real browser: one save keeps everything typed; revoking is asked first."""
from playwright.sync_api import expect
import pytest
from sqlalchemy import select

from shop.careplans.models import CarePlan, CarePlanItem
from shop.catalog.models import Variant
from shop.extensions import db
from tests import factories as make
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page, live_server, email="jo@clinic.example"):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your account", use_inner_text=True)


@pytest.fixture
def plan(app, demo):
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    sizes = [db.session.scalar(select(Variant).where(Variant.sku == sku)) for sku in ("OIL-ALM-0100", "OIL-GRP-0100")]
    plan = CarePlan(practitioner_id=jo.id, title="Lower back, weeks 1–4", items=[
        CarePlanItem(variant_id=v.id, quantity=1, note="Twice daily.", position=n) for n, v in enumerate(sizes)])
    db.session.add(plan)
    db.session.commit()
    return plan


def saved(plan):
    db.session.expire_all()
    return db.session.get(CarePlan, plan.id)


def test_a_note_edited_then_guides_saved_is_kept(app, live_server, page, plan):
    sign_in(page, live_server)
    page.goto(f"{live_server}/plans/{plan.id}")
    first, second = plan.items
    page.locator(f"#note-{first.id}").fill("Once daily, after a warm shower.")
    page.get_by_label("Patch testing and allergies: a simple guide").check()
    page.get_by_role("button", name="Save plan").last.click()
    assert "Plan saved." in page.locator(".flashes").inner_text()
    assert page.locator(f"#note-{first.id}").input_value() == "Once daily, after a warm shower."
    assert page.get_by_label("Patch testing and allergies: a simple guide").is_checked()
    assert [g.slug for g in saved(plan).guides] == ["patch-testing-and-allergies"]

    # Another button (Remove the second product) also keeps what was typed for the first.
    page.locator(f"#note-{first.id}").fill("Mornings only.")
    page.locator(f"#qty-{first.id}").fill("2")
    page.get_by_role("button", name="Remove Grapeseed Massage Oil 100 ml").click()
    assert "removed" in page.locator(".flashes").inner_text()
    assert [(i.id, i.quantity, i.note) for i in saved(plan).items] == [(first.id, 2, "Mornings only.")]

    # Enter in the title field saves; it never presses Remove.
    page.get_by_label("Plan title").fill("Lower back, weeks 5–8")
    page.get_by_label("Plan title").press("Enter")
    assert "Plan saved." in page.locator(".flashes").inner_text()
    assert (saved(plan).title, len(saved(plan).items)) == ("Lower back, weeks 5–8", 1)
    assert page.console_errors == []


def test_revoking_a_link_asks_first_and_can_be_undone(app, live_server, page, plan):
    sign_in(page, live_server)
    page.goto(f"{live_server}/plans/{plan.id}")
    page.get_by_role("button", name="Revoke this link").click()
    expect(page.locator("h1")).to_have_text("Revoke the link to “Lower back, weeks 1–4”?", use_inner_text=True)
    assert "printed or shared QR code" in page.locator("main").inner_text()
    page.get_by_role("link", name="Keep the link").click()
    assert saved(plan).is_live and page.locator(".qr").is_visible()

    page.get_by_role("button", name="Revoke this link").click()
    page.get_by_role("button", name="Revoke the link").click()
    assert "The link is revoked" in page.locator(".flashes").inner_text()
    assert not saved(plan).is_live
    patient = page.context.browser.new_page()
    assert patient.goto(f"{live_server}/plan/{plan.token}").status == 404

    page.get_by_role("button", name="Restore the link").click()
    assert "works again" in page.locator(".flashes").inner_text()
    assert patient.goto(f"{live_server}/plan/{plan.token}").status == 200
    patient.close()


def test_copying_a_plan_that_is_not_a_template_says_so_and_titles_the_copy(app, live_server, page, plan):
    sign_in(page, live_server)
    page.goto(f"{live_server}/plans/{plan.id}")
    page.get_by_role("button", name="Copy for another patient").click()
    flash = page.locator(".flashes").inner_text()
    assert "template" not in flash and "copied from “Lower back, weeks 1–4”" in flash
    expect(page.locator("h1")).to_have_text("Lower back, weeks 1–4 (copy)", use_inner_text=True)
