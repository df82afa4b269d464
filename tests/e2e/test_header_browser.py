"""The header in a real browser, with JavaScript off: one tidy row at 1280 px, a compact layout on a 390 px phone,
for a visitor, an approved practitioner (Quick order) and an admin (Back office)."""
import pytest

from tests import factories as make
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

WHO = {"visitor": None, "practitioner": dict(trade_status="approved"), "admin": dict(role="admin")}
LINKS = ".site-nav a, .header-tools a"


def open_home(browser, live_server, who, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    if WHO[who] is not None:
        user = make.user(f"{who}@example.com", **WHO[who])
        page.goto(live_server + "/account/sign-in")
        page.locator("main").get_by_label("Email address").fill(user.email)
        page.locator("main").get_by_label("Password").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/")
    return context, page


def centre_y(box) -> float:
    return box["y"] + box["height"] / 2


@pytest.mark.parametrize("who", list(WHO))
def test_at_1280_brand_search_links_and_cart_sit_on_one_line(app, live_server, browser, who):
    context, page = open_home(browser, live_server, who, 1280)
    expected = {"visitor": "Sign in", "practitioner": "Quick order", "admin": "Back office"}[who]
    assert expected in page.locator(".site-header").inner_text()
    line = centre_y(page.locator(".site-search").bounding_box())
    parts = [page.locator(".brand").bounding_box()] + [link.bounding_box() for link in page.locator(LINKS).all()]
    assert all(abs(centre_y(box) - line) <= 3 for box in parts), [(round(centre_y(b)), b) for b in parts]
    # "Cart" (with its count) on the same line as the words of the other links, not lower.
    tops = {link.inner_text().split()[0]: link.bounding_box()["y"] for link in page.locator(LINKS).all()}
    assert max(tops.values()) - min(tops.values()) <= 1, tops
    assert page.locator(".site-search input").bounding_box()["width"] >= 150  # the search keeps room to type
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()


@pytest.mark.parametrize("who", list(WHO))
def test_on_a_390_phone_the_links_take_one_tidy_row(app, live_server, browser, who):
    context, page = open_home(browser, live_server, who, 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    nav = [link.bounding_box() for link in page.locator(".site-nav a").all()]
    assert len({round(box["y"]) for box in nav}) == 1, nav  # one row
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in nav), nav  # every link in view
    # Account (or Sign in) and Cart share the brand's row, above the search.
    brand, search = page.locator(".brand").bounding_box(), page.locator(".site-search").bounding_box()
    for link in page.locator(".header-tools a").all():
        box = link.bounding_box()
        assert brand["y"] <= centre_y(box) <= brand["y"] + brand["height"] and box["y"] + box["height"] <= search["y"] + 1
    assert search["width"] >= 340
    # Short labels on the phone; the full one is still the link's name.
    link = page.get_by_role("link", name="For practitioners", exact=True)
    assert link.locator(".label-short").inner_text() == "Practitioners" and link.locator(".label-short").is_visible()
    assert link.locator(".label-long").bounding_box()["width"] <= 1
    context.close()
