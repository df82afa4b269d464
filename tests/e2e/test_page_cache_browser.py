"""A price changed in the back office shows on a cached page at the visitor's next reload, in a real browser."""
from playwright.sync_api import expect
import pytest

from tests import factories as make
from tests.admin.support import pass_code_in_browser, with_second_factor

pytestmark = pytest.mark.e2e


def test_a_price_edited_in_the_back_office_shows_at_the_next_reload_of_a_cached_page(app, live_server, page, browser):
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 1000, 20), (500, 3600, 8)))
    size = oil.variants[0]
    admin = make.user("boss@example.com", role="admin")
    with_second_factor(admin)

    # A guest reads the product page and the listing twice: the second time each is a stored rendering.
    for url in ("/products/grapeseed-oil", "/products"):
        page.goto(live_server + url)
        assert page.reload().headers["x-page-cache"] == "hit", url
    expect(page.locator(".product-card", has_text="Grapeseed Oil")).to_contain_text("From £10.00")

    # The admin, in another browser, lowers the 100 ml's price.
    admin_context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        back_office = admin_context.new_page()
        back_office.goto(live_server + "/account/sign-in")
        back_office.get_by_label("Email address").fill(admin.email)
        back_office.get_by_label("Password").fill(make.PASSWORD)
        back_office.locator("main").get_by_role("button", name="Sign in").click()
        pass_code_in_browser(back_office, admin)
        back_office.goto(live_server + f"/admin/products/{oil.id}")
        size_form = back_office.locator(f"#variant-{size.id}")
        size_form.get_by_label("Price (£)").fill("8.50")
        size_form.get_by_role("button", name="Save size").click()
        expect(back_office.locator(".flashes")).to_contain_text(size.sku)
    finally:
        admin_context.close()

    # The guest's very next reload of each page shows the new price, rendered again.
    response = page.reload()  # the listing
    assert response.headers["x-page-cache"] == "miss"
    expect(page.locator(".product-card", has_text="Grapeseed Oil")).to_contain_text("From £8.50")
    response = page.goto(live_server + "/products/grapeseed-oil")
    assert response.headers["x-page-cache"] == "miss"
    expect(page.locator(".buy-box")).to_contain_text("£8.50")

    # A cached page's form carries this visitor's own token: adding to the cart from it works.
    assert page.reload().headers["x-page-cache"] == "hit"
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-count").first).to_have_text("1")
    assert page.console_errors == []
