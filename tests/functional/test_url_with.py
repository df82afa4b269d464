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
