"""Links built once per page (shop/web.py url_with) are the very links url_for builds."""
import pytest
from flask import url_for

from shop.web import url_with


@pytest.mark.parametrize("value", ["sweet-almond-oil", "a b", "crème", "50%", "a/b", "x?y#z", "o'neil+@", "日本"])
@pytest.mark.parametrize("script_root", ["", "/shop"])
def test_a_link_built_from_the_pages_pattern_is_the_one_url_for_builds(app, value, script_root):
    with app.test_request_context("/", environ_base={"SCRIPT_NAME": script_root}):
        for endpoint, name in (("catalog.product", "slug"), ("catalog.product_art", "slug"), ("product_images.image", "filename")):
            assert url_with(endpoint, name, value) == url_for(endpoint, **{name: value})
            assert url_with(endpoint, name, value + "2") == url_for(endpoint, **{name: value + "2"})  # the pattern, kept


def test_a_pages_navigation_links_follow_the_script_root_they_are_served_under(client):
    # Templates build each link without arguments once per script root (shop/web.py), and the page
    # cache keys a page by it too: a shop served under /shop, then at the root, links each from where
    # it is served (the second was served the first's stored rendering, /shop links and all, before).
    under = client.get("/products", base_url="http://localhost/shop/").get_data(as_text=True)
    at_root = client.get("/products").get_data(as_text=True)
    assert 'href="/shop/guides"' in under and 'href="/shop/cart"' in under
    assert 'href="/guides"' in at_root and 'href="/shop/guides"' not in at_root
