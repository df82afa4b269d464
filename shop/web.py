"""What every page shares: template helpers and security headers."""
from urllib.parse import quote

from flask import Flask, g, has_request_context, request, session, url_for
from flask_login import current_user

from shop.cart.session import current_cart
from shop.catalog.volume import price_table, unit_price
from shop.page_cache import define_hole, hole
from shop.payments.services import demo_payments_on

from shop.delivery.weights import format_weight
from shop.money import format_money, vat_included
from shop.guides.rendering import render_markdown

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


# Digits, so a route's int converter takes it as well as its string one; no URL of ours holds this run otherwise.
_HOLDER = "9753186420"
_PATH_SAFE = "!$&'()*+,/:;=@"  # what werkzeug's converters leave unquoted in a path segment


def url_with(endpoint: str, name: str, value: str) -> str:
    """url_for(endpoint, name=value), for the many links of one kind a page has (a listing's cards
    link each product three times): the URL is built once per request with a placeholder, and
    each value put in its place, quoted as a URL path part."""
    built = g.setdefault("url_with", {})
    parts = built.get((endpoint, name))
    if parts is None:
        parts = built[(endpoint, name)] = url_for(endpoint, **{name: _HOLDER}).split(_HOLDER)
    return quote(str(value), safe=_PATH_SAFE).join(parts)


def _built_once_per_script_root(app: Flask):
    """Templates' url_for, building each link that takes no arguments once per script root (the
    header's and footer's, about fifteen on every page) rather than on every render: such a link
    depends only on the URL map, fixed at start-up, and the script root. Anything else (arguments,
    static files with their fingerprints, blueprint-relative names, no request) is built as before."""
    build = app.url_for
    built: dict = {}

    def url_for_in_templates(endpoint: str, **values) -> str:
        if values or endpoint == "static" or endpoint.startswith(".") or not has_request_context():
            return build(endpoint, **values)
        key = (endpoint, request.script_root)
        url = built.get(key)
        if url is None:
            url = built[key] = build(endpoint)
        return url

    return url_for_in_templates


def register(app: Flask) -> None:
    currency = app.config["STORE_CURRENCY"]
    app.jinja_env.globals["url_for"] = _built_once_per_script_root(app)

    @app.template_filter("money")
    def money_filter(pence):
        return format_money(pence, currency)

    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(vat_included, "vat_included")
    app.add_template_global(price_table, "volume_price_table")  # a size's trade volume prices, for trade visitors only
    app.add_template_global(url_with, "url_with")  # many links of one kind on one page (a table's rows)
    app.add_template_global(unit_price, "unit_price")  # one unit's price in a line of a given quantity

    @app.template_global()
    def product_url(slug: str) -> str:
        return url_with("catalog.product", "slug", slug)

    @app.template_global()
    def product_image_url(product) -> str:
        """The photo an admin uploaded, or else the artwork generated for the product."""
        if getattr(product, "image_filename", ""):
            return url_with("product_images.image", "filename", product.image_filename)
        return url_with("catalog.product_art", "slug", product.slug)

    @app.template_filter("weight")
    def weight_filter(grams):
        return format_weight(grams)

    @app.template_filter("paragraphs")
    def paragraphs(text):
        return [p.strip() for p in (text or "").split("\n\n") if p.strip()]

    define_hole(app, "cart_count", cart_count)
    define_hole(app, "cart_label", lambda: _items(cart_count()))

    @app.context_processor
    def store_globals():
        return {
            "store_name": app.config["STORE_NAME"],
            "store_email": app.config["STORE_EMAIL"],
            "store_phone": app.config["STORE_PHONE"],
            "url_for_page": url_for_page,
            # Holes of a cached page (shop/page_cache): markers while rendering for the cache.
            "cart_count": hole("cart_count"),
            "cart_label": hole("cart_label"),
            "demo_payments": demo_payments_on(app.config),
            # Approved practitioners see trade prices beside retail ones, everywhere prices show.
            "trade_prices": bool(current_user.is_authenticated and current_user.is_trade),
        }

    # Production is served over HTTPS only: browsers must never try plain HTTP again (a year).
    production = app.config.get("ENV_NAME") == "production"
    hsts = [("Strict-Transport-Security", "max-age=31536000; includeSubDomains")] if production else []
    app.wsgi_app = SecurityHeaders(app.wsgi_app, hsts + [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
    ])


class SecurityHeaders:
    """Adds the security headers a response has not set itself (a view may send its own CSP) to every
    answer, error pages and static files included. At the WSGI layer, on the plain list of headers
    the response is sent with: werkzeug's Headers.setdefault, in an after_request hook, cost a
    cached page's hit about a twentieth of its time (each call looks the name up, lower-casing every
    header, and checks the value again)."""

    def __init__(self, wsgi_app, headers: list[tuple[str, str]]):
        self.wsgi_app = wsgi_app
        self.headers = [(name.lower(), (name, value)) for name, value in headers]

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            missing = [header for lower, header in self.headers if lower not in present]
            return start_response(status, headers + missing if missing else headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


def cart_count() -> int:
    return sum(current_cart().values()) if "cart" in session else 0


def _items(n: int) -> str:
    return f"{n} item{'s' if n != 1 else ''}"


def url_for_page(**changes) -> str:
    """The current page's address with some query arguments changed (filters survive pagination)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value in (None, "", []):
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)
