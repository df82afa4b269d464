"""An approved practitioner sees trade "From" prices on every product card, as on the product page."""
import re

import pytest

from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import sign_in


@pytest.fixture
def oil(app):
    # Retail 100 ml £10.00 (trade £7.50 from the factory), 5 L £120.00 (trade £90.00).
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 1000, 20), (5000, 12000, 5)),
                       for_practice=True, featured=True)
    make.guide("Choosing an oil", slug="choosing-an-oil", products=[oil])
    return oil


def card_of(html, name):
    match = re.search(r'<article class="card product-card">(?:(?!</article>).)*?' + re.escape(name) + r'.*?</article>', html, re.S)
    assert match, f"no card for {name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


PAGES = ["/products", "/products?use=practice", "/products?q=grapeseed", "/", "/guides/choosing-an-oil"]


@pytest.mark.parametrize("url", PAGES)
def test_trade_visitors_see_the_trade_from_price_on_cards(app, oil, url):
    make.user("physio@example.com", trade_status="approved")
    client = app.test_client()
    assert sign_in(client, "physio@example.com", PASSWORD).status_code == 303
    card = card_of(client.get(url).get_data(as_text=True), "Grapeseed Oil")
    assert "From £7.50 trade £10.00" in card, card  # retail beside it, struck through
    assert "£7.50 per 100 ml" in card, card


@pytest.mark.parametrize("status", [None, "pending"])
def test_everyone_else_sees_retail_on_cards(app, oil, status):
    client = app.test_client()
    if status:
        make.user("someone@example.com", trade_status=status)
        sign_in(client, "someone@example.com", PASSWORD)
    for url in PAGES:
        card = card_of(client.get(url).get_data(as_text=True), "Grapeseed Oil")
        assert "From £10.00" in card and "trade" not in card, (url, card)


def test_the_card_names_the_cheapest_size_at_the_practitioners_own_prices(app, oil):
    # The 100 ml has no trade price (£10.00 retail); the 5 L at £9.00 trade is the cheapest they pay.
    oil.variants[0].trade_price_pence = None
    oil.variants[1].trade_price_pence = 900
    from shop.extensions import db
    db.session.commit()
    make.user("physio@example.com", trade_status="approved")
    client = app.test_client()
    sign_in(client, "physio@example.com", PASSWORD)
    card = card_of(client.get("/products").get_data(as_text=True), "Grapeseed Oil")
    assert "From £9.00 trade £120.00" in card, card


@pytest.mark.parametrize("trade", [False, True])
def test_a_card_loaded_as_rows_reads_as_the_products_own(app, trade):
    # Listings and the home page build cards from plain rows (shop/catalog/cards.py); a guide's page
    # still renders the mapped Product. Sizes out, low and in stock, one without a trade price, a
    # professional size, a suitability and an allergen: every part of the card, from both paths.
    balm = make.product("Arnica Balm", slug="arnica-balm", sizes=((30, 850, 0), (100, 1800, 3), (1000, 9000, 40)),
                        flags=("vegan",), allergens=("tree-nuts",), featured=True, for_practice=True)
    balm.variants[1].trade_price_pence = None
    balm.variants[1].low_stock_threshold = 5
    from shop.extensions import db
    db.session.commit()
    make.guide("Using a balm", slug="using-a-balm", products=[balm])
    client = app.test_client()
    if trade:
        make.user("physio@example.com", trade_status="approved")
        sign_in(client, "physio@example.com", PASSWORD)
    from_product = card_of(client.get("/guides/using-a-balm").get_data(as_text=True), "Arnica Balm")
    for url in ("/products", "/products?q=arnica", "/"):
        assert card_of(client.get(url).get_data(as_text=True), "Arnica Balm") == from_product, url
    assert "Vegan" in from_product and "Professional sizes" in from_product and "30 ml · 100 ml · 1 L" in from_product
