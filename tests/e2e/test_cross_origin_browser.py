"""A real browser posting a form to the shop from another site is refused, even with a valid token;
the same form on the shop's own page works."""
from playwright.sync_api import expect
import re

import pytest

from tests import factories as make

pytestmark = pytest.mark.e2e

ELSEWHERE = "http://forum.example.test/"


def test_a_form_on_another_site_cannot_add_to_the_cart(live_server, page, app):
    variant = make.product("Arnica Cream", sizes=((100, 999, 20),)).variants[0]
    page.goto(live_server + "/products/" + variant.product.slug)
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")  # even a leaked token is not enough

    # Another site's page (served by the browser's router: no network) with a form aimed at the shop.
    page.route(ELSEWHERE, lambda route: route.fulfill(content_type="text/html", body=(
        f'<form method="post" action="{live_server}/cart/add"><input type="hidden" name="csrf_token" value="{token}">'
        f'<input type="hidden" name="variant_id" value="{variant.id}"><input type="hidden" name="quantity" value="3">'
        '<button>Win a prize</button></form>')))
    page.goto(ELSEWHERE)
    with page.expect_navigation():
        page.get_by_role("button", name="Win a prize").click()
    expect(page.locator("h1")).to_have_text("We didn't accept that form", use_inner_text=True)
    assert "nothing was changed" in page.locator(".lead").inner_text()

    page.goto(live_server + "/products/" + variant.product.slug)
    expect(page.locator(".cart-count")).to_have_text("0", use_inner_text=True)
    page.get_by_role("button", name="Add to cart").click()  # the shop's own form: same-origin
    page.wait_for_url(re.compile(r"/(cart|products/)"))
    expect(page.locator(".cart-count")).to_have_text("1", use_inner_text=True)
