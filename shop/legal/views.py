"""The legal pages and /.well-known/security.txt: text in templates/legal, numbers from settings and policy."""
from flask import Blueprint, current_app, render_template, url_for

from shop.delivery.services import all_rates, all_zones
from shop.legal import policy

bp = Blueprint("legal", __name__)

PAGES = {
    "terms": "Terms of sale",
    "delivery": "Delivery",
    "returns": "Returns and refunds",
    "privacy": "Privacy notice",
    "cookies": "Cookies",
}


def _page(name):
    def view():
        config = current_app.config
        delivery = {"delivery_methods": all_rates(), "delivery_zones": all_zones()} if name == "delivery" else {}
        return render_template(f"legal/{name}.html", title=PAGES[name], policy=policy, pages=PAGES,
                               cookies=cookies_set(config), **delivery)

    view.__name__ = name
    return view


@bp.app_context_processor
def policy_globals():
    """The footer on every page states the store's own return window."""
    return {"return_days": policy.RETURN_DAYS}


for _name in PAGES:
    bp.add_url_rule(f"/{_name}", endpoint=_name, view_func=_page(_name))


def cookies_set(config) -> list[dict]:
    """The only cookies the store sets, under the names the app is configured with."""
    remember_days = config.get("REMEMBER_COOKIE_DURATION")
    remember_days = remember_days.days if remember_days is not None else 365  # Flask-Login's default
    return [
        {"name": config.get("SESSION_COOKIE_NAME") or "session",
         "purpose": "Keeps your cart, your sign-in and the token that protects our forms from forgery.",
         "lasts": "Until you close your browser."},
        {"name": config.get("REMEMBER_COOKIE_NAME") or "remember_token",
         "purpose": "Keeps you signed in on this device. Only set when you choose “Keep me signed in on this device” as you sign in.",
         "lasts": f"{remember_days} days, or until you sign out."},
    ]


@bp.get("/.well-known/security.txt")
def security_txt():
    config = current_app.config
    canonical = config["STORE_URL"].rstrip("/") + url_for("legal.security_txt")
    body = (
        f"Contact: mailto:{config['STORE_EMAIL']}\n"
        f"Expires: {policy.SECURITY_TXT_EXPIRES.isoformat()}T00:00:00Z\n"
        "Preferred-Languages: en\n"
        f"Canonical: {canonical}\n"
    )
    return current_app.response_class(body, mimetype="text/plain")
