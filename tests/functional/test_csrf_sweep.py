"""Every POST in the URL map refuses a missing or forged CSRF token; only the Stripe webhook and the
mail programs' one-click unsubscribe are exempt (each authorised by a signature instead)."""
from shop.extensions import csrf
from tests import factories as make


def post_urls(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule, rule.build({name: "1" for name in rule.arguments}, append_unknown=False)[1]


def test_every_form_post_needs_a_csrf_token(app, client):
    make.product("Oil")
    checked = []
    for rule, url in post_urls(app):
        if rule.endpoint in ("stripe_webhook.receive", "notices.one_click_unsubscribe"):
            continue
        assert client.post(url, data={}).status_code == 400, url
        assert client.post(url, data={"csrf_token": "forged"}).status_code == 400, url
        checked.append(url)
    assert {"/cart/add", "/cart/update", "/cart/remove", "/checkout"} <= set(checked)


def test_the_stripe_webhook_and_the_one_click_unsubscribe_are_the_only_exemptions(app):
    assert csrf._exempt_views == {"shop.checkout.webhook.receive", "shop.notices.views.one_click_unsubscribe"}
    assert not csrf._exempt_blueprints
