"""A failed save says so at once: an error summary at the top, focused, linking to each field in error."""
import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.admin.support import pass_code_in_browser, with_second_factor

pytestmark = pytest.mark.e2e


def sign_in(page, live_server, user):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    if user.is_admin:
        pass_code_in_browser(page, user)


def focused_summary(page):
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    return summary


def test_a_trade_price_above_retail_is_reported_at_the_top_and_linked_to_its_field(app, live_server, page):
    admin = make.user("boss@example.com", role="admin")
    with_second_factor(admin)
    cream = make.product("Arnica Cream", sizes=((100, 1299, 5), (250, 2499, 5)))
    size = cream.variants[1]

    sign_in(page, live_server, admin)
    expect(page.locator("h1")).to_have_text("Back office")  # admins land on the back office

    page.goto(f"{live_server}/admin/products/{cream.id}")
    page.locator(f"#trade-{size.id}").fill("30.00")
    page.locator(f"#variant-{size.id}").get_by_role("button", name="Save size").click()

    summary = focused_summary(page)
    message = f"{size.sku}: the trade price is more than the retail price."
    link = summary.get_by_role("link", name=message)
    expect(link).to_have_attribute("href", f"#trade-{size.id}")
    field = page.locator(f"#trade-{size.id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#trade-{size.id}-error")).to_have_text(message)
    expect(field).not_to_be_in_viewport()  # a screen below, as the admin met it

    link.click()
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(field).to_have_value("30.00")  # what was typed is kept
    # The browser logs the 422 itself; nothing else (no script error, no blocked inline script).
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_the_trade_application_links_each_junk_field_on_a_phone(app, live_server, browser):
    customer = make.user("physio@example.com")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_server, customer)
        page.goto(live_server + "/account/trade")
        for label, value in (("Clinic or practice name", "Harbour Physio"), ("Professional body", "HCPC"),
                             ("Membership or registration number", "PH123456"), ("Clinic address", "1 High Street"),
                             ("Town or city", "Leeds"), ("Postcode", "not a postcode!!"), ("Phone", "abc")):
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_label("Profession", exact=True).select_option("physiotherapist")
        page.get_by_role("button", name="Apply for a trade account").click()

        summary = focused_summary(page)
        expect(summary.get_by_role("link")).to_have_count(2)
        expect(summary.get_by_role("link", name="Enter a UK postcode, like M1 1AA or SW1A 2AA.")).to_have_attribute("href", "#postcode")
        phone = summary.get_by_role("link", name="Enter a UK phone number, like 0161 496 0000 or +44 161 496 0000.")
        expect(phone).to_have_attribute("href", "#phone")
        phone.click()
        expect(page.get_by_label("Phone", exact=True)).to_be_focused()
    finally:
        context.close()


def test_without_javascript_the_summary_is_still_there_and_its_links_work(app, live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/account/sign-in")
        page.get_by_label("Email address").fill("nobody@example.com")
        page.get_by_label("Password").fill("wrong password")
        page.locator("main").get_by_role("button", name="Sign in").click()
        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_in_viewport()
        link = summary.get_by_role("link", name="That email and password don't match an account.")
        expect(link).to_have_attribute("href", "#email")
        link.click()
        expect(page).to_have_url(live_server + "/account/sign-in#email")
    finally:
        context.close()
