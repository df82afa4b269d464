"""The pages a buyer trusts: linked from every page's footer and from the cart before Checkout,
stating the store's real settings (change one and the page follows), each with its last-updated date."""
import re
from datetime import date

import pytest

from shop.legal import policy
from tests import factories as make
from tests.helpers import add_to_cart

PAGES = ["/terms", "/delivery", "/returns", "/privacy", "/cookies"]


def text(response):
    """The page's words without tags, for checking what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def links(response):
    return set(re.findall(r'href="([^"#]+)', response.get_data(as_text=True)))


def test_every_page_links_the_policies_from_its_footer(client):
    footer = client.get("/guides").get_data(as_text=True).split('class="site-footer"', 1)[1]
    for url in PAGES:
        assert f'href="{url}"' in footer, url


def test_the_cart_links_terms_delivery_returns_and_privacy_before_checkout(client):
    product = make.product(sizes=((100, 1200, 5),))
    add_to_cart(client, product.variants[0].id, 1)
    html = client.get("/cart").get_data(as_text=True)
    before_checkout = html.split(">Checkout</button>", 1)[0].split('id="summary-heading"', 1)[1]
    for url in ("/terms", "/delivery", "/returns", "/privacy"):
        assert f'href="{url}"' in before_checkout, url


@pytest.mark.parametrize("url", PAGES)
def test_each_page_says_when_it_was_last_updated(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert f"Last updated {policy.LAST_UPDATED.strftime('%-d %B %Y')}" in text(response)
    assert f'datetime="{policy.LAST_UPDATED.isoformat()}"' in response.get_data(as_text=True)


def test_terms_state_the_14_day_right_to_cancel_and_the_hygiene_exception(client):
    words = text(client.get("/terms"))
    assert "cancel your order for any reason within 14 days of the day you receive it" in words
    assert "hygiene" in words and "opened or unsealed" in words
    assert "Consumer Contracts Regulations" in words


@pytest.mark.parametrize("app_settings", [{"STORE_ADDRESS": "2 Tannery Yard, Leeds LS1 4AB",
                                           "STORE_EMAIL": "care@clinic-supply.example", "VAT_RATE_PERCENT": 20}])
def test_the_pages_follow_the_store_settings(client):
    from shop.delivery.models import DeliveryMethod
    from shop.extensions import db
    from tests.helpers import ensure_delivery

    ensure_delivery()
    standard = db.session.query(DeliveryMethod).filter_by(code="tracked-48").one()
    standard.rates[0].price_pence, standard.free_over_pence = 375, 6000
    db.session.commit()
    delivery = text(client.get("/delivery"))
    assert "Royal Mail Tracked 48" in delivery and "£3.75" in delivery
    assert "Free on orders of £60.00 or more" in delivery
    assert "postcodes starting HS, IV, KA27, KA28, KW" in delivery
    for url in ("/terms", "/privacy", "/returns"):
        words = text(client.get(url))
        assert "2 Tannery Yard, Leeds LS1 4AB" in words, url
        assert "care@clinic-supply.example" in words, url
    assert "mailto:care@clinic-supply.example" in links(client.get("/privacy"))


def test_returns_state_the_window_the_footer_promises(client):
    words = text(client.get("/returns"))
    assert f"within {policy.RETURN_DAYS} days of receiving it" in words
    assert f"returned within {policy.RETURN_DAYS} days" in text(client.get("/"))


def test_the_privacy_notice_states_only_the_periods_the_code_enforces(client):
    response = client.get("/privacy")
    html = response.get_data(as_text=True)
    # Nothing deletes accounts or supplies lists by time: the notice must not promise it does.
    for key in ("account", "supplies"):
        assert policy.retention(key).days is None
        row = text_of(html, f'id="kept-{key}"')
        assert "Until you ask us to delete it" in row, key
    # The worker deletes an email's text after its period (tests/messages/test_retention.py).
    assert f"{policy.retention('messages').days} days" in text_of(html, 'id="kept-messages"')
    assert f"At least {policy.TAX_RECORD_YEARS} years" in text_of(html, 'id="kept-orders"')
    words = text(response)
    for right in ("a copy of the personal data", "correct it", "delete it", "Information Commissioner"):
        assert right in words


def text_of(html, marker):
    row = html.split(marker, 1)[1].split("</tr>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


@pytest.mark.parametrize("app_settings", [{"SESSION_COOKIE_NAME": "eucalypt_session",
                                           "REMEMBER_COOKIE_NAME": "eucalypt_remember"}])
def test_the_cookie_statement_names_the_cookies_the_app_really_sets(app, client):
    words = text(client.get("/cookies"))
    assert "eucalypt_session" in words and "eucalypt_remember" in words
    assert "no advertising, analytics or tracking cookies" in words
    # The session cookie it names is the one a visitor really gets.
    product = make.product(sizes=((100, 1200, 5),))
    response = add_to_cart(client, product.variants[0].id, 1)
    assert any(h.startswith("eucalypt_session=") for h in response.headers.getlist("Set-Cookie"))


def test_security_txt_names_the_contact_expiry_language_and_canonical_address(app, client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    fields = dict(line.split(": ", 1) for line in response.get_data(as_text=True).splitlines() if line)
    assert fields["Contact"] == f"mailto:{app.config['STORE_EMAIL']}"
    expires = date.fromisoformat(fields["Expires"][:10])
    assert fields["Expires"].endswith("T00:00:00Z")
    # RFC 9116: less than a year after the file was last reviewed.
    assert 0 < (expires - policy.LAST_UPDATED).days < 366
    assert fields["Preferred-Languages"] == "en"
    assert fields["Canonical"] == app.config["STORE_URL"].rstrip("/") + "/.well-known/security.txt"
