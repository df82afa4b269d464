"""A shopper in a real browser: from the home page to a product, through filters and a guide."""
from playwright.sync_api import expect
import pytest

pytestmark = pytest.mark.e2e


def test_browse_filter_and_open_a_product(live_server, page, demo):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Massage oils").first.click()
    expect(page.locator("h1")).to_have_text("Massage oils", use_inner_text=True)

    page.get_by_label("Nut-free").check()
    page.get_by_role("button", name="Show products").click()
    assert "suitable=nut-free" in page.url and "category=oils" in page.url
    cards = page.locator(".product-card .card-title").all_inner_texts()
    assert "Grapeseed Massage Oil" in cards
    assert "Sweet Almond Massage Oil" not in cards  # almond is a tree nut

    page.get_by_role("link", name="Grapeseed Massage Oil").click()
    expect(page.locator("h1")).to_have_text("Grapeseed Massage Oil", use_inner_text=True)
    assert page.get_by_text("per 100 ml").count() >= 3
    sold_out = page.locator(".size-option.is-unavailable input")
    for i in range(sold_out.count()):
        assert sold_out.nth(i).is_disabled()
    assert page.console_errors == []


def test_search_from_the_header_then_follow_a_guide_back_to_a_product(live_server, page, demo):
    page.goto(live_server + "/guides")
    page.get_by_label("Search products").fill("arnica")
    page.get_by_label("Search products").press("Enter")
    assert "Arnica Recovery Cream" in page.locator(".product-card .card-title").all_inner_texts()

    page.goto(live_server + "/guides/patch-testing-and-allergies")
    page.locator(".prose").get_by_role("link", name="Sweet Almond Massage Oil").click()
    expect(page.locator("h1")).to_have_text("Sweet Almond Massage Oil", use_inner_text=True)
    assert "Tree nuts" in page.locator("#safety").inner_text()


def test_phone_layout_has_no_sideways_scroll(live_server, browser, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("/", "/products", "/products/sweet-almond-massage-oil", "/guides/when-not-to-massage"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    context.close()
