"""The search index follows the products table whatever changes it, and the filter counts add up."""
import re

import pytest
from sqlalchemy import text

from shop.catalog.listing import ListingQuery
from shop.catalog.search_index import word_similarity
from shop.catalog.services import browse_products
from shop.extensions import db
from tests import factories as make

CARD = re.compile(r'<h2 class="card-title"><a href="/products/([^"]+)">')


@pytest.fixture
def shelf(app):
    make.product("Grapeseed Oil", slug="grapeseed-oil", category_slug="oils", flags=("nut-free", "vegan"),
                 ingredients="Vitis Vinifera Seed Oil", commit=False)
    make.product("Sweet Almond Oil", slug="sweet-almond-oil", category_slug="oils", allergens=("tree-nuts",),
                 flags=("vegan",), ingredients="Prunus Amygdalus Dulcis Oil", commit=False)
    make.product("Arnica Cream", slug="arnica-cream", category_slug="creams", allergens=("compositae",),
                 flags=("nut-free",), description="Not for broken skin.")
    return app


def found(client, q):
    answer = client.get("/products", query_string={"q": q})
    assert answer.status_code == 200, q
    return set(CARD.findall(answer.get_data(as_text=True)))


def test_a_change_made_by_plain_sql_is_searched_at_once(client, shelf):
    # No code path can forget the index: on SQLite triggers keep it; on PostgreSQL it is a generated
    # column, and a trigger keeps the words a slip is corrected to.
    db.session.execute(text("UPDATE products SET name = 'Calendula Cream', description = 'Soothing.' "
                            "WHERE slug = 'arnica-cream'"))
    db.session.commit()
    assert found(client, "calendula") == {"arnica-cream"}
    assert found(client, "calendla") == {"arnica-cream"}  # a slip: on PostgreSQL, corrected by the new word
    assert found(client, "broken") == set()
    db.session.execute(text("DELETE FROM product_flags WHERE product_id IN (SELECT id FROM products WHERE slug = 'arnica-cream')"))
    db.session.execute(text("DELETE FROM variants WHERE product_id IN (SELECT id FROM products WHERE slug = 'arnica-cream')"))
    db.session.execute(text("DELETE FROM products WHERE slug = 'arnica-cream'"))
    db.session.commit()
    assert found(client, "calendula") == set()
    assert found(client, "oil") == {"grapeseed-oil", "sweet-almond-oil"}


@pytest.mark.parametrize("typed", ["oil & | !", "al:*", "'\"", "(grape", "vitis -seed", "NEAR(oil)", "oil*", "a",
                                   "½ litre", "日本語", "naïve crème", "o'neil", "x:y", "a&b", "\\", "ＯＩＬ", "ǅemal"])
def test_search_syntax_typed_in_the_box_is_taken_as_words(client, shelf, typed):
    found(client, typed)  # a page, never a 500


def test_each_filter_counts_what_it_would_leave(app, shelf):
    page = browse_products(ListingQuery(category="oils", suitable=("vegan",)), per_page=12)
    flags = {f.slug: f.id for f in page.flags}
    categories = {c.slug: c.id for c in page.categories}
    counts = page.counts
    assert page.total == 2
    assert counts.for_category(categories["oils"]) == 2 and counts.for_category(categories["creams"]) == 0
    assert counts.any_category == 2  # every vegan product
    assert counts.for_flag(flags["vegan"]) == 2  # already on: what the page shows
    assert counts.for_flag(flags["nut-free"]) == 1  # adding nut-free leaves the grapeseed oil
    assert counts.for_flag(flags["tree-nuts"]) == 1  # avoiding tree nuts leaves the grapeseed oil
    assert counts.for_flag(flags["compositae"]) == 2  # no oil has any


def test_remembered_counts_follow_a_change_made_by_plain_sql_at_once(app, shelf):
    # Counts of listings without words are kept per catalogue version: whatever changes what they
    # count moves the version, in the database itself, so the next listing counts again.
    def vegan_oils():
        page = browse_products(ListingQuery(category="oils", suitable=("vegan",)), per_page=12)
        return page.total, page.counts.any_category, len(page.products)

    assert vegan_oils() == (2, 2, 2)
    assert vegan_oils() == (2, 2, 2)  # remembered: the same
    db.session.execute(text("DELETE FROM product_flags WHERE product_id IN (SELECT id FROM products WHERE slug = 'grapeseed-oil')"
                            " AND flag_id IN (SELECT id FROM flags WHERE slug = 'vegan')"))
    db.session.commit()
    assert vegan_oils() == (1, 1, 1)
    db.session.execute(text("UPDATE products SET published = false WHERE slug = 'sweet-almond-oil'"))
    db.session.commit()
    assert vegan_oils() == (0, 0, 0)


def test_counts_follow_the_search_words(app, shelf):
    counts = browse_products(ListingQuery(q="oil"), per_page=12).counts
    assert counts.any_category == 2


def test_word_similarity_is_the_share_of_the_typed_words_trigrams():
    assert word_similarity("arnika", "Cooling Arnica Gel") == pytest.approx(4 / 7)
    assert word_similarity("almond", "sweet almond oil") == 1.0
    assert word_similarity("teapot", "Arnica Cream") < 0.3
    assert word_similarity("", "anything") == 0.0


def test_a_search_remembered_follows_text_sizes_and_prices_changed_by_plain_sql(client, app, count_queries):
    # A search's counts and best-match page are remembered under the catalogue and search versions
    # (shop/catalog/services.py _best_matches); triggers move the search version with a product's text
    # and a size's SKU, amount and unit, whoever writes them, and cards are read afresh each time.
    from sqlalchemy import text

    from shop.extensions import db
    from tests import factories as make
    make.product("Marigold Balm", slug="marigold-balm", sizes=((30, 900, 5),))
    make.product("Plain Cream", slug="plain-cream", sizes=((50, 700, 5),))

    def found(q):
        html = client.get(f"/products?q={q}").get_data(as_text=True)
        return re.findall(r'<h2 class="card-title"><a href="/products/([^"]+)">', html), html

    with count_queries() as first:
        assert found("marigold")[0] == ["marigold-balm"]
    with count_queries() as again:
        assert found("marigold")[0] == ["marigold-balm"]
    assert again.n == first.n - 1  # remembered: the filter counts are not counted again (nor the ranking run)

    db.session.execute(text("UPDATE products SET description = 'With marigold petals.' WHERE slug = 'plain-cream'"))
    db.session.commit()
    assert found("marigold")[0] == ["marigold-balm", "plain-cream"]

    db.session.execute(text("UPDATE variants SET amount = 250, size_label = '250 ml' WHERE sku LIKE 'SKU-%' AND amount = 50"))
    db.session.commit()
    assert found("marigold+250ml")[0] == ["plain-cream"]

    db.session.execute(text("UPDATE variants SET price_pence = 650 WHERE amount = 250"))
    db.session.commit()
    assert "From <strong>£6.50</strong>" in found("marigold")[1]
