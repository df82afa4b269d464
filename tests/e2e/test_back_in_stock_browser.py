"""At 390 px, 'Email me when it's back' on a sold-out size: a guest asks and confirms; a practitioner asks in one click."""
import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import links_in_outbox

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_guest_asks_on_a_sold_out_size_and_confirms_from_the_email(app, live_server, phone):
    make.product("Arnica Balm", slug="arnica-balm", sizes=((50, 899, 6), (250, 2499, 0)))
    phone.goto(live_server + "/products/arnica-balm")
    ask = phone.locator("form.back-in-stock")
    expect(ask).to_have_count(1)
    ask.get_by_label("250 ml is sold out. Email me when it's back:").fill("sam@example.com")
    assert phone.evaluate(FITS)
    ask.get_by_role("button", name="Email me").click()
    expect(phone.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("sam@example.com")

    [link] = links_in_outbox(app, "/back-in-stock/confirm/")
    phone.goto(live_server + link)
    expect(phone.get_by_role("heading", name="You're on the list")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("Arnica Balm (250 ml)")


def test_a_practitioner_asks_in_one_click_from_the_quick_order_pad(app, live_server, phone):
    make.product("Arnica Balm", slug="arnica-balm", sizes=((50, 899, 6), (250, 2499, 0)))
    make.user("jo@clinic.example", trade_status="approved", name="Jo Physio")
    phone.goto(live_server + "/account/sign-in")
    phone.get_by_label("Email address").fill("jo@clinic.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(lambda url: "/account/sign-in" not in url)

    phone.goto(live_server + "/quick-order")
    button = phone.get_by_role("button", name="Email me when 250 ml is back")
    button.scroll_into_view_if_needed()
    assert phone.evaluate(FITS)
    button.click()  # the pad's table is one form; this button belongs to its own form after it
    expect(phone.get_by_text("We'll email you when 250 ml is back.")).to_be_visible()
    expect(phone).to_have_url(live_server + "/quick-order")
