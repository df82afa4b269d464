"""The back office holds 10,000 products (30,000 sizes): every list page is paginated, under 200 KB
and runs the same few queries as with 100; the CSV exports stream, every row, in constant queries.

The big catalogue is built once per backend with the listing's bulk inserts (tests/functional/test_query_counts.py).
"""
import re

from sqlalchemy import func, select

from shop.catalog.models import Variant
from shop.extensions import db
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.functional.test_query_counts import bulk_products

MAX_BYTES = 200 * 1024
MAX_QUERIES = 10
PAGES = ["/admin/", "/admin/stock", "/admin/stock?state=low&sort=on-hand&q=oil", "/admin/stock?page=2",
         "/admin/products", "/admin/products?q=oil&page=2", "/admin/orders", "/admin/stock/receive",
         "/admin/products/new", "/admin/catalogue/import", "/admin/guides", "/admin/audit", "/admin/messages",
         "/admin/practitioners", "/admin/data-requests", "/admin/guides/new"]
EXPORTS = ["/admin/stock.csv", "/admin/catalogue.csv", "/admin/orders.csv"]


def measure(client, count_queries, urls):
    counts, bodies = {}, {}
    for url in urls:
        with count_queries() as counted:
            answer = client.get(url)
            if url in EXPORTS:
                assert answer.is_streamed, url  # sent as it is written, not built whole first
            bodies[url] = answer.get_data()
        assert answer.status_code == 200, url
        counts[url] = counted.n
    return counts, bodies


def sizes() -> int:
    return db.session.scalar(select(func.count()).select_from(Variant))


def test_every_back_office_page_is_small_and_keeps_its_queries_at_100_and_10000_products(client, count_queries, app):
    signed_in(client)
    make.product("Seed Oil", sizes=((100, 500, 2),))
    bulk_products(99)
    small, small_bodies = measure(client, count_queries, PAGES + EXPORTS)
    assert len(small_bodies["/admin/stock.csv"].decode("utf-8-sig").splitlines()) == sizes() + 1

    bulk_products(9_900)
    big, bodies = measure(client, count_queries, PAGES + EXPORTS)

    assert big == small, {url: (small[url], big[url]) for url in small if small[url] != big[url]}
    assert max(big.values()) <= MAX_QUERIES, big
    heavy = {url: len(body) for url, body in bodies.items() if url not in EXPORTS and len(body) > MAX_BYTES}
    assert not heavy, heavy
    # The lists really hold the big catalogue, a page at a time, and say how much there is.
    stock = bodies["/admin/stock"].decode()
    assert f"{sizes()} sizes" in stock and sizes() == 29_998
    assert "Page 1 of 600" in stock
    assert "10000 products" in bodies["/admin/products"].decode()
    # The dashboard counts every low or out size in the database, not in a list it loaded.
    low_or_out = db.session.scalar(select(func.count()).select_from(Variant)
                                   .where(Variant.stock_on_hand <= Variant.low_stock_threshold))
    assert re.search(rf'<span class="figure">{low_or_out}</span> sizes low or out', bodies["/admin/"].decode())
    # Every size is exported.
    assert len(bodies["/admin/stock.csv"].decode("utf-8-sig").splitlines()) == sizes() + 1
    assert len(bodies["/admin/catalogue.csv"].decode("utf-8-sig").splitlines()) == sizes() + 1


def test_the_stock_pages_keep_the_search_filter_and_sort(client, app):
    signed_in(client)
    make.product("Cream", sizes=((100, 500, 2),))
    bulk_products(60)  # "Oil 00000" ...: 3 sizes each, the 1 L one low (3 on hand)
    html = client.get("/admin/stock?q=oil&state=low&sort=sku").get_data(as_text=True)
    assert "60 sizes, 1–50 shown" in html and "Page 1 of 2" in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    for part in ("q=oil", "state=low", "sort=sku", "page=2"):
        assert part in next_link
    page2 = client.get(next_link).get_data(as_text=True)
    assert "51–60 shown" in page2 and "Cream" not in page2
    past_the_end = client.get("/admin/stock?q=oil&page=99").get_data(as_text=True)
    assert "Page 4 of 4" in past_the_end  # 180 sizes of oil in all


def test_the_catalogue_list_pages_through_products_with_its_search(client, app):
    signed_in(client)
    make.product("Gel")
    bulk_products(55)
    html = client.get("/admin/products?q=oil&page=2").get_data(as_text=True)
    assert "55 products, 51–55 shown" in html and "Oil 00054" in html and "Oil 00000" not in html
    assert "Gel" not in html


def test_the_guide_editor_finds_products_to_link_by_name_keeping_what_was_typed(client, app):
    signed_in(client)
    bulk_products(70)  # more than the editor lists at once
    html = client.get("/admin/guides/new").get_data(as_text=True)
    assert html.count('name="product_ids"') == 60 and "10 more not shown" in html
    assert "Oil 00065" not in html

    found = post(client, "/admin/guides/new", {"action": "find-products", "product_q": "00065", "title": "Oils at home",
                                               "body": "Warm the oil first."}).get_data(as_text=True)
    assert "Oil 00065" in found and found.count('name="product_ids"') == 1
    assert 'value="Oils at home"' in found and "Warm the oil first." in found  # nothing typed is lost
    oil = re.search(r'name="product_ids" value="(\d+)"', found).group(1)

    # A linked product stays listed (and ticked) whatever is searched for next.
    again = post(client, "/admin/guides/new", {"action": "find-products", "product_q": "00001", "product_ids": oil,
                                               "title": "Oils at home"}).get_data(as_text=True)
    assert "Oil 00065" in again and "Oil 00001" in again and f'value="{oil}" checked' in again


STOCK_ROW = re.compile(r'<tr class="row-\w+">\s*<td><a href="/admin/stock/(\d+)">([^<]+)</a></td>\s*<td>([^<]+?)(?: <span|</td>)'
                       r'.*?<span class="stock stock-\w+">(\d+)<', re.S)


def test_every_stock_sort_pages_through_each_size_once_in_its_order_each_linking_to_its_own_size(client, app):
    signed_in(client)
    make.product("Arnica Cream", sizes=((50, 899, 2), (100, 1499, 0), (250, 2499, 40)))
    bulk_products(20)  # 63 sizes in all: two pages
    skus = dict(db.session.execute(select(Variant.sku, Variant.id)).all())
    for sort in ("product", "sku", "on-hand", "on-hand-desc"):
        rows = []
        for page in (1, 2):
            rows += STOCK_ROW.findall(client.get(f"/admin/stock?sort={sort}&page={page}").get_data(as_text=True))
        assert sorted(sku for _, sku, _, _ in rows) == sorted(skus), sort  # every size, none twice
        assert all(int(link) == skus[sku] for link, sku, _, _ in rows), sort
        on_hand = [int(units) for *_, units in rows]
        names = [name for _, _, name, _ in rows]
        if sort == "product":
            assert names == sorted(names)
        elif sort == "on-hand":
            assert on_hand == sorted(on_hand)
        elif sort == "on-hand-desc":
            assert on_hand == sorted(on_hand, reverse=True)
