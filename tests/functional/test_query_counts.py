"""Listing and product pages run the same number of queries with 100 or 1,000 products (no N+1)."""
from shop.extensions import db
from tests import factories as make

PAGES = [
    "/",
    "/products",
    "/products?page=5",
    "/products?sort=price&suitable=vegan&avoid=tree-nuts&q=oil",
    "/products?sort=newest&category=creams",
    "/guides",
    "/guides/a-guide",
    "/products/template-oil",
]


def add_products(start, n):
    for i in range(start, start + n):
        make.product(
            f"Oil {i:04d}",
            sizes=((100, 500 + i, 10), (1000, 2500 + i, 3), (5000, 9000 + i, 0)),
            flags=("vegan",) if i % 2 else ("nut-free",),
            allergens=("tree-nuts",) if i % 3 == 0 else (),
            featured=i % 50 == 0,
            commit=False,
        )
    db.session.commit()


def queries_per_page(client, count_queries):
    counts = {}
    for url in PAGES:
        with count_queries() as counted:
            assert client.get(url).status_code == 200, url
        counts[url] = counted.n
    return counts


def test_pages_run_the_same_number_of_queries_at_100_and_1000_products(client, app, count_queries):
    oil = make.product("Template Oil", slug="template-oil", sizes=((100, 500, 5), (1000, 2000, 5)))
    add_products(0, 99)
    others = [make.product(f"Linked {i}", commit=False) for i in range(5)]
    make.guide("A guide", slug="a-guide", products=[oil, *others])
    at_100 = queries_per_page(client, count_queries)

    add_products(99, 900)
    at_1000 = queries_per_page(client, count_queries)

    assert at_1000 == at_100
    assert at_100["/products"] <= 5
    assert at_100["/products/template-oil"] <= 4
    assert max(at_100.values()) <= 5, at_100
