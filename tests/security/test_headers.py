"""Security headers and session-cookie flags on every GET page in the URL map.

Pages with parts in their address get real ones from the demo catalogue and a demo checkout
(product and guide slugs, an order token, a demo payment session); parts we have no real
value for (account links) get a plausible one, and whatever answers (a page, a redirect to
sign in, a 404) must carry the headers too.
"""
import json
import re
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import select

from shop import create_app
from shop.catalog.models import Product
from shop.config import ProductionConfig
from shop.extensions import db
from shop.guides.models import Guide
from tests.conftest import FreshContextClient
from tests.helpers import add_to_cart, checkout

SCRIPT_SRC = re.compile(r"script-src ([^;]*)")


def real_values(client):
    """Values for the URL map's arguments, from the demo data and one demo checkout."""
    product = db.session.scalars(select(Product).where(Product.published.is_(True)).order_by(Product.id)).first()
    guide = db.session.scalars(select(Guide).where(Guide.published.is_(True)).order_by(Guide.id)).first()
    add_to_cart(client, product.variants[0].id, 1)
    started = checkout(client)
    assert started.status_code == 303
    session_id = started.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    from shop.orders.models import Order

    order = db.session.scalars(select(Order)).one()
    return {
        ("catalog.product", "slug"): product.slug,
        ("catalog.product_art", "slug"): product.slug,
        ("guides.detail", "slug"): guide.slug,
        ("checkout.order_page", "token"): order.token,
        ("checkout.order_receipt", "token"): order.token,
        ("demo_pay.page", "session_id"): session_id,
        ("static", "filename"): "css/shop.css",
        "int": 1,
        "any": "not-a-real-link",
    }


def get_urls(app, values):
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods:
            continue
        args = {}
        for name in rule.arguments:
            converter = type(rule._converters[name]).__name__
            args[name] = values.get((rule.endpoint, name), values["int"] if converter == "IntegerConverter" else values["any"])
        urls.append((rule.endpoint, rule.build(args, append_unknown=False)[1]))
    return urls


def assert_security_headers(response, url):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert csp, url
    script_src = SCRIPT_SRC.search(csp) or re.search(r"default-src ([^;]*)", csp)
    assert script_src and "'unsafe-inline'" not in script_src.group(1) and "'unsafe-eval'" not in script_src.group(1), (url, csp)
    assert "frame-ancestors 'none'" in csp, url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") in ("strict-origin-when-cross-origin", "same-origin", "no-referrer", "strict-origin"), url


def session_cookie(response, name="session"):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            morsel = SimpleCookie(header)[name]
            return morsel, header
    return None, None


@pytest.fixture
def sweep(app, client, demo):
    values = real_values(client)
    responses = {}
    for endpoint, url in get_urls(app, values):
        responses[url] = (endpoint, client.get(url))
    return responses


def test_every_get_page_sends_the_security_headers(sweep):
    reached = {endpoint for endpoint, response in sweep.values() if response.status_code == 200}
    # The pages a shopper reaches really answered, with real slugs and tokens, not just 404s.
    assert {
        "home.index", "catalog.products", "catalog.product", "catalog.product_art", "guides.index",
        "guides.detail", "cart.view", "checkout.order_page", "demo_pay.page", "health.healthz", "static",
    } <= reached, sorted(reached)
    for url, (endpoint, response) in sweep.items():
        assert response.status_code < 500, (url, response.status_code)
        assert_security_headers(response, url)
        assert "Strict-Transport-Security" not in response.headers  # only in production, over HTTPS


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)


def test_pages_need_no_inline_script(sweep):
    """The CSP forbids inline script, so a page that had some would silently break.

    The one inline <script> allowed is schema.org data: exactly type="application/ld+json"
    (a data block browsers never run) holding valid JSON, nothing else.
    """
    data_blocks = 0
    for url, (endpoint, response) in sweep.items():
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            for attributes, body in INLINE_SCRIPT.findall(html):
                assert attributes == ' type="application/ld+json"', (url, attributes)
                json.loads(body)
                data_blocks += 1
            assert len(INLINE_SCRIPT.findall(html)) == len(re.findall(r"<script(?![^>]*\bsrc=)", html, re.I)), url
            assert not re.search(r"\son[a-z]+\s*=", html), url
    assert data_blocks, "the product and guide pages carry their schema.org data"


def test_the_session_cookie_is_httponly_and_samesite_lax(client, demo):
    slug = db.session.scalars(select(Product.slug).order_by(Product.id)).first()
    morsel, raw = session_cookie(client.get(f"/products/{slug}"))  # the add-to-cart form stores a CSRF secret
    assert morsel is not None, "the product page should start a session for its form"
    assert morsel["httponly"], raw
    assert morsel["samesite"] == "Lax", raw
    assert not morsel["secure"], "development serves plain HTTP on 127.0.0.1"


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    """The app as `SHOP_ENV=production` builds it, with the secrets it refuses to start without."""
    database = f"sqlite:///{tmp_path / 'prod.db'}"
    settings = {
        "SECRET_KEY": "a-real-secret-for-the-production-sweep",
        "DATABASE_URL": database,
        "STRIPE_SECRET_KEY": "sk_test_production_sweep",
        "STRIPE_WEBHOOK_SECRET": "whsec_production_sweep",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SHOP_ENV", "production")
    monkeypatch.setenv("SHOP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # memory:// limits hold in one worker; with more, production refuses to start
    app = create_app(
        ProductionConfig,
        SECRET_KEY=settings["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=database,
        STRIPE_SECRET_KEY=settings["STRIPE_SECRET_KEY"],
        STRIPE_WEBHOOK_SECRET=settings["STRIPE_WEBHOOK_SECRET"],
        STRIPE_API_BASE="http://127.0.0.1:9",  # never called: no checkout in this sweep
        STORE_URL="https://shop.example",
    )
    app.test_client_class = FreshContextClient  # each request in its own app context, as in production
    with app.app_context():
        db.create_all()
        from shop.demo.loader import load_demo

        load_demo()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_production_adds_hsts_and_a_secure_session_cookie(production_app):
    client = production_app.test_client()
    slug = db.session.scalars(select(Product.slug).order_by(Product.id)).first()
    urls = ["/", "/products", f"/products/{slug}", "/guides", "/cart", "/healthz", "/no-such-page"]
    for url in urls:
        response = client.get(url, base_url="https://shop.example")
        assert response.status_code < 500, (url, response.status_code)
        assert_security_headers(response, url)
        hsts = response.headers.get("Strict-Transport-Security", "")
        max_age = re.search(r"max-age=(\d+)", hsts)
        assert max_age and int(max_age.group(1)) >= 180 * 24 * 3600, (url, hsts)
    fresh = production_app.test_client()  # a new visitor: the first form page starts the session
    morsel, raw = session_cookie(fresh.get(f"/products/{slug}", base_url="https://shop.example"))
    assert morsel is not None
    assert morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Lax", raw


def test_a_page_that_sets_its_own_policy_keeps_it_and_gets_the_other_headers(app):
    own = "default-src 'none'"

    @app.get("/_own_policy")
    def own_policy():
        return "ok", 200, {"content-security-policy": own}

    response = app.test_client().get("/_own_policy")
    assert response.headers.getlist("Content-Security-Policy") == [own]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_refusals_carry_the_security_headers_too(app, client):
    for response in (client.post("/products"), client.get("/no-such-page"), client.post("/cart/add")):
        assert response.status_code in (400, 404, 405), response.status_code
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
