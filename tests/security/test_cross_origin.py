"""The second CSRF layer: forms sent from another site are refused by what the browser says about
where the request came from (Sec-Fetch-Site, else Origin), even when they carry a valid token."""
import pytest

from shop import cross_origin
from shop.cross_origin import refusal
from tests import factories as make
from tests.helpers import csrf_token

STORE = "https://shop.example"


@pytest.mark.parametrize("method, site, origin, host, allowed", [
    ("POST", "same-origin", None, "shop.example", True),
    ("POST", "none", None, "shop.example", True),  # typed in or a bookmark
    ("POST", "cross-site", None, "shop.example", False),
    ("POST", "same-site", None, "shop.example", False),  # a sibling subdomain: another origin
    ("POST", "Cross-Site", "https://shop.example", "shop.example", False),  # the header wins over Origin
    ("POST", "something-new", None, "shop.example", False),
    ("PUT", "cross-site", None, "shop.example", False),
    ("PATCH", "cross-site", None, "shop.example", False),
    ("DELETE", "cross-site", None, "shop.example", False),
    ("GET", "cross-site", "https://evil.example", "shop.example", True),  # links from other sites work
    ("HEAD", "cross-site", None, "shop.example", True),
    ("OPTIONS", "cross-site", None, "shop.example", True),
    # Older browsers: no Sec-Fetch-Site, so the Origin must be this shop.
    ("POST", None, "https://shop.example", "shop.example", True),
    ("POST", None, "http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("POST", None, "https://SHOP.example", "shop.example", True),
    ("POST", None, "https://evil.example", "shop.example", False),
    ("POST", None, "https://shop.example.evil.example", "shop.example", False),
    ("POST", None, "null", "shop.example", False),
    ("POST", None, "https://shop.example", "internal:8000", True),  # behind a proxy: STORE_URL's origin
    ("POST", None, "http://shop.example", "internal:8000", False),  # not STORE_URL's scheme
    # Neither header: not a browser (the token still protects it).
    ("POST", None, None, "shop.example", True),
])
def test_the_rule(method, site, origin, host, allowed):
    assert (refusal(method, site, origin, host, STORE) is None) == allowed


def post_urls(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint != "stripe_webhook.receive":
            yield rule.build({name: "1" for name in rule.arguments}, append_unknown=False)[1]


def test_every_form_refuses_a_cross_site_post_even_with_a_valid_token(app, client):
    urls = list(post_urls(app))
    assert {"/cart/add", "/checkout", "/account/sign-in"} <= set(urls)
    token = csrf_token(client)
    for url in urls:
        for site in ("cross-site", "same-site"):
            answer = client.post(url, data={"csrf_token": token}, headers={"Sec-Fetch-Site": site})
            assert answer.status_code == 403, (url, site)
    assert cross_origin.MESSAGE.split(",")[0] in answer.get_data(as_text=True)


def in_cart(client) -> bool:
    with client.session_transaction() as session:
        return bool(session.get("cart"))


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
                                     {"Origin": "https://evil.example"}])
def test_a_forged_add_to_cart_changes_nothing_and_says_why(client, app, headers):
    variant = make.product("Arnica Cream").variants[0]
    answer = client.post("/cart/add", data={"variant_id": variant.id, "quantity": 1, "csrf_token": csrf_token(client)},
                         headers=headers)
    assert answer.status_code == 403
    page = answer.get_data(as_text=True)
    assert "We didn&#39;t accept that form" in page and "nothing was changed" in page
    assert not in_cart(client)


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
                                     {"Sec-Fetch-Site": "none"},
                                     {"Origin": "http://localhost"},
                                     {"Origin": "http://127.0.0.1:5000"},  # STORE_URL's origin (the default)
                                     {}])
def test_our_own_pages_and_non_browsers_still_post(client, app, headers):
    variant = make.product("Arnica Cream").variants[0]
    answer = client.post("/cart/add", data={"variant_id": variant.id, "quantity": 1, "csrf_token": csrf_token(client)},
                         headers=headers)
    assert answer.status_code in (302, 303)
    assert in_cart(client)


def test_a_post_with_no_token_is_still_refused_by_the_token_check(client, app):
    variant = make.product("Arnica Cream").variants[0]
    answer = client.post("/cart/add", data={"variant_id": variant.id, "quantity": 1}, headers={"Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 400
    assert not in_cart(client)


def test_the_stripe_webhook_is_exempt(client, app):
    answer = client.post("/stripe/webhook", data=b"{}", headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert answer.status_code != 403  # it reaches the webhook, which checks Stripe's signature instead


def test_the_webhook_is_the_only_exemption():
    assert cross_origin._exempt_views == {"shop.checkout.webhook.receive"}
