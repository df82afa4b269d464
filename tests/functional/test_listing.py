"""The product listing: filters, search, sort and pagination, as a shopper sees them."""
import re
from datetime import datetime

import pytest

from tests import factories as make


def names(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/products/[^"]+">([^<]+)</a>', html)


@pytest.fixture
def shelf(app):
    make.product("Grapeseed Oil", category_slug="oils", sizes=((100, 699, 30), (5000, 8999, 4)),
                 flags=("nut-free", "vegan", "fragrance-free"), ingredients="Vitis Vinifera Seed Oil",
                 for_practice=True, created_at=datetime(2026, 1, 1))
    make.product("Sweet Almond Oil", category_slug="oils", sizes=((100, 799, 0), (250, 1499, 3)),
                 allergens=("tree-nuts",), flags=("vegan",), ingredients="Prunus Amygdalus Dulcis Oil",
                 for_practice=True, created_at=datetime(2026, 3, 1))
    make.product("Arnica Cream", category_slug="creams", sizes=((50, 1099, 0),),
                 allergens=("compositae",), flags=("nut-free",), description="Not for broken skin.",
                 created_at=datetime(2026, 2, 1))
    make.product("Hidden Balm", category_slug="balms", published=False)
    return app


def test_listing_shows_published_products_with_price_sizes_and_stock(client, shelf):
    html = client.get("/products").get_data(as_text=True)
    assert names(html) == ["Arnica Cream", "Grapeseed Oil", "Sweet Almond Oil"]
    assert "Hidden Balm" not in html
    assert "From <strong>£6.99</strong>" in html  # the cheapest size of grapeseed
    assert "(£1.80 per 100 ml)" not in html  # "from" is the cheapest price, shown with its own unit price
    assert "100 ml · 5 L" in html
    assert "Out of stock" in html  # arnica has no stock at all
    assert "Only 3 left" in html  # almond: only the 250 ml is in stock, and it is low
    assert "Showing 1–3 of 3 products" in html


def test_filter_by_category(client, shelf):
    html = client.get("/products?category=oils").get_data(as_text=True)
    assert names(html) == ["Grapeseed Oil", "Sweet Almond Oil"]
    assert "<h1>Oils</h1>" in html


def test_filter_by_use(client, shelf):
    assert names(client.get("/products?use=practice").get_data(as_text=True)) == ["Grapeseed Oil", "Sweet Almond Oil"]


def test_filter_by_what_buyers_screen_for(client, shelf):
    assert names(client.get("/products?suitable=nut-free").get_data(as_text=True)) == ["Arnica Cream", "Grapeseed Oil"]
    both = client.get("/products?suitable=nut-free&suitable=vegan").get_data(as_text=True)
    assert names(both) == ["Grapeseed Oil"]
    assert names(client.get("/products?avoid=tree-nuts").get_data(as_text=True)) == ["Arnica Cream", "Grapeseed Oil"]


def test_search_covers_name_description_and_ingredients(client, shelf):
    assert names(client.get("/products?q=almond").get_data(as_text=True)) == ["Sweet Almond Oil"]
    assert names(client.get("/products?q=VITIS").get_data(as_text=True)) == ["Grapeseed Oil"]
    assert names(client.get("/products?q=broken+skin").get_data(as_text=True)) == ["Arnica Cream"]
    assert names(client.get("/products?q=oil+vegan+zzz").get_data(as_text=True)) == []


def test_search_wildcards_are_taken_literally(client, shelf):
    html = client.get("/products?q=%25").get_data(as_text=True)
    assert names(html) == []
    assert "No products match" in html


def test_search_and_filters_combine(client, shelf):
    html = client.get("/products?q=oil&suitable=nut-free&category=oils").get_data(as_text=True)
    assert names(html) == ["Grapeseed Oil"]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name", ["Arnica Cream", "Grapeseed Oil", "Sweet Almond Oil"]),
        ("price", ["Grapeseed Oil", "Sweet Almond Oil", "Arnica Cream"]),
        ("price-desc", ["Arnica Cream", "Sweet Almond Oil", "Grapeseed Oil"]),
        ("newest", ["Sweet Almond Oil", "Arnica Cream", "Grapeseed Oil"]),
    ],
)
def test_sort(client, shelf, sort, expected):
    assert names(client.get(f"/products?sort={sort}").get_data(as_text=True)) == expected


@pytest.fixture
def many(app):
    for i in range(30):
        make.product(f"Oil {i:02d}", category_slug="oils", flags=("vegan",) if i % 2 else (), commit=False)
    make.product("Cream", category_slug="creams")
    return app


def test_pagination_keeps_filters_and_search(client, many):
    html = client.get("/products?category=oils&suitable=vegan&sort=name&q=oil").get_data(as_text=True)
    assert "Showing 1–12 of 15 products" in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    for part in ("category=oils", "suitable=vegan", "q=oil", "page=2"):
        assert part in next_link
    page2 = client.get(next_link).get_data(as_text=True)
    assert "Showing 13–15 of 15 products" in page2
    assert names(page2) == ["Oil 25", "Oil 27", "Oil 29"]


@pytest.mark.parametrize("page", ["-1", "abc", "0", "1e9", "%00"])
def test_bad_page_numbers_show_the_first_page(client, many, page):
    response = client.get(f"/products?page={page}")
    assert response.status_code == 200
    assert "Showing 1–12 of 31 products" in response.get_data(as_text=True)


def test_a_page_past_the_end_shows_the_last_page(client, many):
    response = client.get("/products?page=999")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Showing 25–31 of 31 products" in html
    assert '<span aria-current="page">3</span>' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("category=teapots", "no category called"),
        ("suitable=gluten-free", "not a filter we know"),
        ("avoid=vegan", "not a filter we know"),  # a suitability is not an allergen
        ("use=everything", "home care or for practice"),
        ("q=" + "x" * 5000, "200 characters"),
    ],
)
def test_bad_filters_get_a_400_that_says_why(client, shelf, query, message):
    response = client.get(f"/products?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "browse all products" in html  # still the store's layout, with a way on


def test_an_unknown_sort_shows_the_default_order(client, shelf):
    response = client.get("/products?sort=';drop table products")
    assert response.status_code == 200
    assert names(response.get_data(as_text=True)) == ["Arnica Cream", "Grapeseed Oil", "Sweet Almond Oil"]


def test_nothing_matches_is_a_page_not_an_error(client, shelf):
    response = client.get("/products?q=teapot")
    assert response.status_code == 200
    assert "No products match “teapot”" in response.get_data(as_text=True)


def _by_price(client) -> list[str]:
    return names(client.get("/products?sort=price").get_data(as_text=True))


def test_the_sort_by_price_follows_every_change_to_sizes_at_the_next_request(client, shelf):
    # From prices kept by the database (shop/catalog/from_price.py): Grapeseed £6.99, Almond £7.99, Arnica £10.99.
    from sqlalchemy import text

    from shop.extensions import db
    assert _by_price(client) == ["Grapeseed Oil", "Sweet Almond Oil", "Arnica Cream"]
    # A price changed by plain SQL, as an operator would: the cheapest size of Grapeseed goes up.
    db.session.execute(text("UPDATE variants SET price_pence = 1999 WHERE sku = (SELECT sku FROM variants v"
                            " JOIN products p ON p.id = v.product_id WHERE p.name = 'Grapeseed Oil' AND v.amount = 100)"))
    db.session.commit()
    assert _by_price(client) == ["Sweet Almond Oil", "Arnica Cream", "Grapeseed Oil"]  # its 5 L at £89.99 is dearer
    # A cheaper size added to Arnica, then removed again.
    arnica = db.session.execute(text("SELECT id FROM products WHERE name = 'Arnica Cream'")).scalar()
    db.session.execute(text("INSERT INTO variants (product_id, sku, size_label, amount, unit, price_pence, stock_on_hand,"
                            " low_stock_threshold, is_professional, shipping_weight_grams, case_quantity, version)"
                            " VALUES (:p, 'ARN-10', '10 ml', 10, 'ml', 299, 0, 5, false, 50, 1, 1)"), {"p": arnica})
    db.session.commit()
    assert _by_price(client) == ["Arnica Cream", "Sweet Almond Oil", "Grapeseed Oil"]
    db.session.execute(text("DELETE FROM variants WHERE sku = 'ARN-10'"))
    db.session.commit()
    assert _by_price(client) == ["Sweet Almond Oil", "Arnica Cream", "Grapeseed Oil"]


def test_a_sale_never_writes_its_products_row(app, shelf):
    # Checkouts of different sizes of one product must not queue on the product: only a price or
    # a size added or removed writes it (its version shows any write).
    from sqlalchemy import select

    from shop.catalog.models import Product, Variant
    from shop.extensions import db
    from shop.inventory.services import record_stock
    size = db.session.scalars(select(Variant).where(Variant.amount == 5000)).one()
    before = db.session.scalar(select(Product.version).where(Product.id == size.product_id))
    record_stock(size.id, -1, "sale")
    db.session.commit()
    assert db.session.scalar(select(Product.version).where(Product.id == size.product_id)) == before
    size.price_pence = 9499
    db.session.commit()
    assert db.session.scalar(select(Product.version).where(Product.id == size.product_id)) == before  # not the cheapest
    size.price_pence = 499
    db.session.commit()
    assert db.session.scalar(select(Product.version).where(Product.id == size.product_id)) == before + 1
