"""Cached catalogue pages: each visitor's own holes, the right price tier, and no stale page after any change.

The cache is on in the tests' settings, so every other test of these pages runs through it too.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from shop.catalog.editing import VariantFields, save_variant, set_published
from shop.catalog.services import product_page_versions
from shop.extensions import db
from shop.inventory.services import receive_delivery
from shop.recalls.services import recall_lot
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, checkout, sign_in
from tests.lots.support import TODAY, receive


@pytest.fixture
def oil(app):
    # 100 ml £10.00 (trade £7.50), 3 left of it; 1 L £40.00 (trade £30.00), plenty.
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 1000, 3), (1000, 4000, 50)),
                        for_practice=True, featured=True)


PAGES = ["/", "/products", "/products?use=practice&sort=price", "/products/grapeseed-oil"]


def token_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def cart_count_of(html):
    return re.search(r'<span class="cart-count" aria-label="([^"]*)">([^<]*)</span>', html).groups()


def no_flashes(client):
    """Read the "Added to your cart" / "Signed in" messages, as the next page would show them."""
    with client.session_transaction() as session:
        session.pop("_flashes", None)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_two_visitors_share_a_cached_page_but_never_a_token_or_a_cart_count(app, oil):
    alice, bob = app.test_client(), app.test_client()
    add_to_cart(alice, oil.variants[1].id, 2)
    no_flashes(alice)
    first = get(alice, "/products/grapeseed-oil")
    second = get(bob, "/products/grapeseed-oil")
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert cart_count_of(first.get_data(as_text=True)) == ("2 items", "2")
    assert cart_count_of(second.get_data(as_text=True)) == ("0 items", "0")
    alice_token, bob_token = token_of(first.get_data(as_text=True)), token_of(second.get_data(as_text=True))
    assert alice_token != bob_token
    assert "\ue000" not in second.get_data(as_text=True)
    assert second.headers["Cache-Control"] == "private, no-cache"
    assert "Set-Cookie" in second.headers  # Bob's own session, for his own token: made for him, never stored

    # Bob's form, from the cached page, works with his session and refuses Alice's token.
    refused = bob.post("/cart/add", data={"variant_id": oil.variants[0].id, "quantity": 1, "csrf_token": alice_token})
    assert refused.status_code == 400
    added = bob.post("/cart/add", data={"variant_id": oil.variants[0].id, "quantity": 1, "csrf_token": bob_token})
    assert added.status_code in (302, 303)
    no_flashes(bob)
    assert cart_count_of(get(bob, "/products/grapeseed-oil").get_data(as_text=True)) == ("1 item", "1")


def test_a_trade_visitor_never_gets_a_retail_page_nor_a_retail_visitor_a_trade_one(app, oil):
    make.user("physio@example.com", trade_status="approved")
    make.user("patient@example.com")
    guest, physio, patient = app.test_client(), app.test_client(), app.test_client()
    for client, email in ((physio, "physio@example.com"), (patient, "patient@example.com")):
        sign_in(client, email, PASSWORD)
        no_flashes(client)
    for url in PAGES:
        assert "£7.50" not in get(guest, url).get_data(as_text=True)
        assert "£7.50" in get(physio, url).get_data(as_text=True), url
        again = get(guest, url)
        assert again.headers["X-Page-Cache"] == "hit" and "£7.50" not in again.get_data(as_text=True), url
        signed_in = get(patient, url).get_data(as_text=True)
        assert "£7.50" not in signed_in and ">Account</a>" in signed_in, url


def test_a_remember_cookie_alone_signs_its_visitor_in_on_a_cached_page(app, oil):
    make.user("physio@example.com", trade_status="approved")
    guest, physio = app.test_client(), app.test_client()
    sign_in(physio, "physio@example.com", PASSWORD, remember="y")
    assert physio.get_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token")) is not None
    for url in PAGES:
        get(guest, url)
        assert get(guest, url).headers["X-Page-Cache"] == "hit", url
    # The browser was closed: the session cookie is gone, the remember cookie stays.
    physio.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    for url in PAGES:
        page = get(physio, url).get_data(as_text=True)
        assert "£7.50" in page and ">Account</a>" in page, url


def test_a_guests_hit_still_says_it_varies_by_cookie(app, oil):
    guest = app.test_client()
    get(guest, "/products")
    hit = get(guest, "/products")
    assert hit.headers["X-Page-Cache"] == "hit"
    assert "Cookie" in hit.headers.get("Vary", "")


def test_a_price_change_and_a_size_selling_out_show_on_the_very_next_request(app, oil):
    admin = make.user(role="admin")
    client = app.test_client()
    for url in PAGES:
        get(client, url)
    fields = VariantFields(sku=oil.variants[0].sku, size_label="100 ml", amount="100", unit="ml", price="8.50",
                           trade_price="7.50", low_stock_threshold="5", is_professional=False)
    save_variant(oil.id, oil.variants[0].id, fields, actor=admin)
    for url in PAGES:
        page = get(client, url)
        assert page.headers["X-Page-Cache"] == "miss" and "£8.50" in page.get_data(as_text=True), url

    buyer = app.test_client()
    add_to_cart(buyer, oil.variants[0].id, 3)
    assert checkout(buyer).status_code in (302, 303)  # the hold takes the last 3
    product = get(client, "/products/grapeseed-oil").get_data(as_text=True)
    assert re.search(r'value="%d" [^>]*disabled' % oil.variants[0].id, product)  # the 100 ml can no longer be chosen
    assert "Out of stock" in product


def test_a_price_changed_by_plain_sql_shows_at_the_next_request(app, oil):
    client = app.test_client()
    assert "£10.00" in get(client, "/products/grapeseed-oil").get_data(as_text=True)
    assert get(client, "/products/grapeseed-oil").headers["X-Page-Cache"] == "hit"
    db.session.execute(text("UPDATE variants SET price_pence = 1111 WHERE sku = :sku"), {"sku": oil.variants[0].sku})
    db.session.commit()
    for url in PAGES:
        assert "£11.11" in get(client, url).get_data(as_text=True), url


def test_every_write_a_page_shows_moves_its_version(app, oil):
    """A delivery, a sale, a recall, an unpublish and a publish: each a new key for the product page."""
    admin = make.user(role="admin")
    seen = [product_page_versions("grapeseed-oil")]

    def moved():
        db.session.expire_all()
        now = product_page_versions("grapeseed-oil")
        assert now not in seen
        seen.append(now)

    receive(admin, oil.variants[0], ("GS-1", 4, "2028-06-30"))
    moved()
    buyer = app.test_client()
    add_to_cart(buyer, oil.variants[0].id, 1)
    checkout(buyer)
    moved()
    lot = db.session.execute(text("SELECT id FROM lots WHERE code = 'GS-1'")).scalar_one()
    recall_lot(lot, "Stop using it.", actor=admin)
    moved()
    set_published(oil.id, False, actor=admin)
    assert product_page_versions("grapeseed-oil") is None  # no page at all: a 404, never cached
    set_published(oil.id, True, actor=admin)
    moved()


def test_the_shelf_life_a_product_page_promises_follows_the_date(app, oil, monkeypatch):
    import shop.inventory.lots as lots

    admin = make.user(role="admin")
    receive_delivery([make.lot_line(oil.variants[1].sku, 5, "GS-9", expires=str(TODAY + timedelta(days=400)))],
                     "PO-9", actor=admin, on=TODAY)
    client = app.test_client()
    monkeypatch.setattr(lots, "today", lambda: TODAY)
    assert "At least 13 months before expiry" in get(client, "/products/grapeseed-oil").get_data(as_text=True)
    monkeypatch.setattr(lots, "today", lambda: TODAY + timedelta(days=61))
    assert "At least 11 months before expiry" in get(client, "/products/grapeseed-oil").get_data(as_text=True)


def test_text_from_the_database_cannot_open_a_hole(app, oil):
    holes = app.extensions["page_cache"].holes
    marker = str(holes._markers["csrf_token"])
    db.session.execute(text("UPDATE products SET summary = :s WHERE id = :id"), {"s": f"Try {marker} here", "id": oil.id})
    db.session.commit()
    client = app.test_client()
    for _ in range(2):  # the rendering, then the stored copy
        html = get(client, "/products/grapeseed-oil").get_data(as_text=True)
        summary = re.search(r'<p class="lead">(.*?)</p>', html).group(1)
        assert summary == f"Try {marker.strip(chr(0xE000))} here"
        assert token_of(html) not in summary


def test_a_page_with_a_flash_message_is_neither_stored_nor_served_from_the_cache(app, oil):
    client = app.test_client()
    get(client, "/products")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Added to your cart.")]
    flashed = get(client, "/products")
    assert "Added to your cart." in flashed.get_data(as_text=True) and "X-Page-Cache" not in flashed.headers
    after = get(client, "/products")
    assert after.headers["X-Page-Cache"] == "hit" and "Added to your cart." not in after.get_data(as_text=True)


def test_a_signed_in_customers_own_requests_keep_their_page_out_of_the_cache(app):
    make.product("Arnica Balm", slug="arnica-balm", sizes=((50, 899, 0),))
    make.user("sam@example.com")
    client = app.test_client()
    sign_in(client, "sam@example.com", PASSWORD)
    no_flashes(client)
    assert get(client, "/products/arnica-balm").headers["X-Page-Cache"] == "not stored"
    guest = app.test_client()
    get(guest, "/products/arnica-balm")
    assert get(guest, "/products/arnica-balm").headers["X-Page-Cache"] == "hit"


def test_an_unchanged_page_is_answered_304_to_the_same_visitor(app, oil):
    client = app.test_client()
    get(client, "/products")
    first = get(client, "/products")
    again = client.get("/products", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_changed_page_or_cart_is_never_answered_304(app, oil):
    client, url = app.test_client(), "/products/grapeseed-oil"
    get(client, url)
    tag = get(client, url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304

    add_to_cart(client, oil.variants[1].id, 1)
    no_flashes(client)
    with_item = client.get(url, headers={"If-None-Match": tag})
    assert with_item.status_code == 200 and with_item.headers["X-Page-Cache"] == "hit"
    assert cart_count_of(with_item.get_data(as_text=True)) == ("1 item", "1")

    tag = with_item.headers["ETag"]
    db.session.execute(text("UPDATE variants SET price_pence = 1111 WHERE sku = :sku"), {"sku": oil.variants[0].sku})
    db.session.commit()
    repriced = client.get(url, headers={"If-None-Match": tag})
    assert repriced.status_code == 200 and "£11.11" in repriced.get_data(as_text=True)
    assert client.get(url, headers={"If-None-Match": repriced.headers["ETag"]}).status_code == 304


def test_a_catalogue_template_that_would_load_lazily_fails_its_test(app, oil):
    """The guard every page test runs under (tests/conftest.py): here a product loaded without its sizes."""
    from flask import render_template
    from sqlalchemy import select

    from shop.catalog.models import Product
    from tests.conftest import LazyLoadWhileRendering

    db.session.expire_all()
    bare = db.session.scalar(select(Product).where(Product.id == oil.id))
    with app.test_request_context("/products/grapeseed-oil"), pytest.raises(LazyLoadWhileRendering):
        render_template("catalog/product.html", product=bare, shelf_life={})


def test_a_guides_markdown_cannot_open_a_hole_either(app, oil):
    holes = app.extensions["page_cache"].holes
    marker = str(holes._markers["cart_count"])
    make.guide("Choosing an oil", slug="choosing-an-oil", products=[oil], body=f"Count: {marker}")
    html = get(app.test_client(), "/guides/choosing-an-oil").get_data(as_text=True)
    assert f"Count: {marker.strip(chr(0xE000))}" in html


def test_a_new_volume_price_shows_to_trade_visitors_at_the_next_request(app, oil):
    make.user("physio@example.com", trade_status="approved")
    physio = app.test_client()
    sign_in(physio, "physio@example.com", PASSWORD)
    no_flashes(physio)
    assert "£27.00" not in get(physio, "/products/grapeseed-oil").get_data(as_text=True)
    assert get(physio, "/products/grapeseed-oil").headers["X-Page-Cache"] == "hit"
    # Plain SQL, as an operator might: the size's version moves with its price breaks all the same.
    db.session.execute(text("INSERT INTO price_breaks (variant_id, min_quantity, unit_price_pence) VALUES (:v, 6, 2700)"),
                       {"v": oil.variants[1].id})
    db.session.commit()
    page = get(physio, "/products/grapeseed-oil")
    assert page.headers["X-Page-Cache"] == "miss" and "£27.00" in page.get_data(as_text=True)


def test_a_cached_page_is_answered_by_one_query(app, oil, count_queries):
    """A hit reads its key and nothing else: a listing's categories and flags come with the catalogue
    version that query reads, not from queries of their own."""
    make.product("Almond Oil", slug="almond-oil", category_slug="oils", flags=("vegan",), allergens=("tree-nuts",))
    client = app.test_client()
    for url in PAGES + ["/products?category=oils&suitable=vegan", "/products?avoid=tree-nuts&page=1"]:
        get(client, url)
        with count_queries() as counted:
            page = get(client, url)
        assert (page.headers["X-Page-Cache"], counted.n) == ("hit", 1), (url, counted.statements)


def test_categories_and_flags_changed_by_plain_sql_change_the_listing_at_the_next_request(app, oil):
    client = app.test_client()

    def sql(statement, **params):
        db.session.execute(text(statement), params)
        db.session.commit()

    def shows(url):
        response = client.get(url)
        return response.status_code, "Grapeseed Oil" in response.get_data(as_text=True)

    for _ in range(2):
        assert shows("/products") == (200, True)
    assert shows("/products?category=balms")[0] == 400
    sql("INSERT INTO categories (slug, name, description, position) VALUES ('balms', 'Balms', '', 9)")
    assert shows("/products?category=balms") == (200, False)
    sql("UPDATE products SET category_id = (SELECT id FROM categories WHERE slug = 'balms') WHERE slug = 'grapeseed-oil'")
    assert shows("/products?category=balms") == (200, True)
    sql("UPDATE categories SET slug = 'salves' WHERE slug = 'balms'")
    assert shows("/products?category=balms")[0] == 400
    assert shows("/products?category=salves") == (200, True)

    assert shows("/products?suitable=vegan")[0] == 400
    sql("INSERT INTO flags (slug, name, kind, description) VALUES ('vegan', 'Vegan', 'suitable', '')")
    assert shows("/products?suitable=vegan") == (200, False)
    assert shows("/products?avoid=vegan")[0] == 400
    sql("INSERT INTO product_flags (product_id, flag_id) SELECT p.id, f.id FROM products p, flags f"
        " WHERE p.slug = 'grapeseed-oil' AND f.slug = 'vegan'")
    assert shows("/products?suitable=vegan") == (200, True)
    sql("UPDATE flags SET kind = 'allergen' WHERE slug = 'vegan'")
    assert shows("/products?suitable=vegan")[0] == 400
    assert shows("/products?avoid=vegan") == (200, False)


def test_a_listing_key_follows_what_its_query_string_names_now(app, oil):
    """Two categories swap their slugs by plain SQL: ?category=creams now names the other one, and a
    later price change of a product in it must show (a key read with the old category's products
    would not have moved)."""
    make.product("Arnica Balm", slug="arnica-balm", category_slug="balms", sizes=((50, 900, 5),))
    client = app.test_client()
    url = "/products?category=creams"
    for _ in range(2):
        assert "Grapeseed Oil" in get(client, url).get_data(as_text=True)
    db.session.execute(text("UPDATE categories SET slug = 'swapping' WHERE slug = 'creams'"))
    db.session.execute(text("UPDATE categories SET slug = 'creams' WHERE slug = 'balms'"))
    db.session.execute(text("UPDATE categories SET slug = 'balms' WHERE slug = 'swapping'"))
    db.session.commit()
    for _ in range(2):
        html = get(client, url).get_data(as_text=True)
        assert "Arnica Balm" in html and "Grapeseed Oil" not in html and "£9.00" in html
    db.session.execute(text("UPDATE variants SET price_pence = 1234 WHERE sku = :sku"),
                       {"sku": sku_of("arnica-balm")})
    db.session.commit()
    assert "£12.34" in get(client, url).get_data(as_text=True)


def sku_of(slug):
    return db.session.execute(text("SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id"
                                   " WHERE p.slug = :slug"), {"slug": slug}).scalar_one()


def test_the_cache_reads_the_very_versions_the_session_reads(app, oil):
    """The versions go to PostgreSQL on the driver's cursor, compiled by the cache: the same rows
    as SQLAlchemy's own execution, for each kind of page and a listing with filters and a category."""
    from werkzeug.datastructures import MultiDict

    from shop.catalog.listing import ListingQuery
    from shop.catalog.models import Product
    from shop.catalog.services import _home_statement, _page_statement, _product_page_statement, listing_filters
    from shop.guides.services import _guide_statement
    from shop.page_cache.versions import _catalogue_statement

    vegan = make.product("Vegan Balm", category_slug="oils", flags=["vegan"], allergens=["nut"], for_practice=True)
    make.guide("Choosing an oil", slug="choosing-an-oil", products=[oil, vegan])
    query = ListingQuery.from_args(MultiDict({"category": "oils", "suitable": "vegan", "sort": "price", "use": "practice"}))
    filters = listing_filters(query)
    db.session.commit()
    reads = [
        (_product_page_statement(), {"slug": "grapeseed-oil"}),
        (_home_statement(), None),
        (_guide_statement(), {"slug": "choosing-an-oil"}),
        (_catalogue_statement(), None),
        (_page_statement(filters.conditions, filters.ordering), {"page_size": 12, "page_skip": 0}),
    ]
    # One statement for every page: the page's numbers are written into its SQL at each execution.
    every = _page_statement([Product.published.is_(True)], [Product.name, Product.id])
    reads += [(every, {"page_size": 1, "page_skip": 0}), (every, {"page_size": 1, "page_skip": 1}),
              (every, {"page_size": 2, "page_skip": 0})]
    reader = app.extensions["page_cache"].reader
    for statement, params in reads:
        expected = [tuple(row) for row in db.session.execute(statement, params).all()]
        assert expected, statement
        assert [tuple(row) for row in reader.rows(statement, params)] == expected, statement
        assert [tuple(row) for row in reader.rows(statement, params)] == expected, statement  # compiled, kept
