"""Every /admin address checks the role on the server: a sweep over the URL map."""
import pytest

from tests import factories as make
from tests.admin.support import signed_in
from tests.helpers import page_token


def admin_rules(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")]
    assert len(rules) >= 12, "the sweep must see the whole back office"
    for rule in rules:
        url = rule.build({name: "1" for name in rule.arguments}, append_unknown=False)[1]
        for method in ("GET", "POST"):
            if method in rule.methods:
                yield rule, method, url


def request(client, method, url, token):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token, "confirm": "yes", "reason": "x", "amount": "1.00"})


def test_anonymous_visitors_are_sent_to_sign_in_for_every_admin_address(app, client):
    make.product("Oil")
    token = page_token(client, "/account/sign-in")  # a valid token: the guard, not CSRF, must refuse
    for rule, method, url in admin_rules(app):
        response = request(client, method, url, token)
        assert response.status_code == 302, (method, url, response.status_code)
        location = response.headers["Location"]
        assert location.startswith("/account/sign-in?next="), (method, url, location)
        if method == "GET":
            assert "next=" + url.replace("/", "%2F") in location


@pytest.mark.parametrize("role", ["customer", "practitioner"])
def test_customers_and_practitioners_get_403_for_every_admin_address(app, client, role):
    make.product("Oil")
    user = signed_in(client, role)
    token = page_token(client, "/account")
    for rule, method, url in admin_rules(app):
        response = request(client, method, url, token)
        assert response.status_code == 403, (user.role, method, url, response.status_code)
    # Nothing was changed on the way: no audit entry was written.
    from shop.audit.models import AuditEntry
    from shop.extensions import db

    assert db.session.query(AuditEntry).count() == 0


def test_an_admin_gets_in(app, client):
    signed_in(client, "admin")
    for url in ("/admin/", "/admin/stock", "/admin/orders", "/admin/practitioners", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Back office" in response.get_data(as_text=True)
