"""What search engines and link previews read: schema.org JSON-LD, canonical addresses, OpenGraph,
sitemap.xml, robots.txt and noindex on private pages."""
import json
import re
import urllib.robotparser
from xml.etree import ElementTree

import pytest

from shop.careplans.models import CarePlan
from shop.extensions import db
from tests import factories as make
from tests.helpers import add_to_cart

STORE = "https://shop.example"
pytestmark = pytest.mark.parametrize("app_settings", [{"STORE_URL": STORE + "/", "PRODUCTS_PER_PAGE": 2}])


def structured_data(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, blocks)}


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def canonical(html):
    links = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    assert len(links) <= 1, links
    return links[0].replace("&amp;", "&") if links else None


def robots_rules(client):
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(client.get("/robots.txt").get_data(as_text=True).splitlines())
    return parser


@pytest.fixture
def shelf(app):
    oil = make.product("Arnica Massage Oil", slug="arnica-massage-oil", category_slug="oils",
                       sizes=((100, 1250, 4), (1000, 8999, 0)), summary="Arnica and sunflower oil for aching muscles.",
                       flags=("vegan",))
    others = [make.product(f"Oil {i}", category_slug="oils", allergens=("tree-nuts",)) for i in range(3)]
    hidden = make.product("Withdrawn Balm", slug="withdrawn-balm", category_slug="balms", published=False)
    guide = make.guide("Massage after a sprain", slug="after-a-sprain", products=[oil])
    draft = make.guide("Draft guide", slug="draft-guide", published=False)
    return {"oil": oil, "others": others, "hidden": hidden, "guide": guide, "draft": draft}


def test_a_product_page_carries_the_fields_a_rich_result_needs(client, shelf):
    html = client.get("/products/arnica-massage-oil").get_data(as_text=True)
    product = structured_data(html)["Product"]
    assert product["@context"] == "https://schema.org"
    assert product["name"] == "Arnica Massage Oil"
    assert product["description"] == "Arnica and sunflower oil for aching muscles."
    assert product["image"] == f"{STORE}/products/arnica-massage-oil/art.svg"
    assert product["brand"] == {"@type": "Brand", "name": "Eucalypt & Co. Clinic Supply"}
    assert product["sku"] == shelf["oil"].variants[0].sku
    offers = {offer["sku"]: offer for offer in product["offers"]}
    assert set(offers) == {v.sku for v in shelf["oil"].variants}
    small, big = (offers[v.sku] for v in shelf["oil"].variants)
    assert (small["price"], big["price"]) == ("12.50", "89.99")
    assert small["priceCurrency"] == big["priceCurrency"] == "GBP"
    assert small["availability"] == "https://schema.org/InStock"
    assert big["availability"] == "https://schema.org/OutOfStock"


def test_product_text_cannot_break_out_of_the_data_block(client, app):
    name = 'Oil </script><script>alert(1)</script> & "friends"'
    make.product(name, slug="tricky-oil", summary="<b>bold</b> claims")
    html = client.get("/products/tricky-oil").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    product = structured_data(html)["Product"]
    assert product["name"] == name and product["description"] == "<b>bold</b> claims"


def test_product_and_category_pages_have_breadcrumbs(client, shelf):
    crumbs = structured_data(client.get("/products/arnica-massage-oil").get_data(as_text=True))["BreadcrumbList"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs["itemListElement"]] == [
        (1, "Shop", f"{STORE}/products"),
        (2, "Oils", f"{STORE}/products?category=oils"),
        (3, "Arnica Massage Oil", f"{STORE}/products/arnica-massage-oil"),
    ]
    listing = structured_data(client.get("/products?category=oils&sort=price").get_data(as_text=True))["BreadcrumbList"]
    assert [c["name"] for c in listing["itemListElement"]] == ["Shop", "Oils"]


def test_a_guide_is_an_article(client, shelf):
    html = client.get("/guides/after-a-sprain").get_data(as_text=True)
    article = structured_data(html)["Article"]
    guide = shelf["guide"]
    assert article["headline"] == "Massage after a sprain"
    assert article["datePublished"] == guide.published_at.date().isoformat()
    assert article["dateModified"] == guide.updated_at.date().isoformat()
    assert article["author"]["name"] == "Eucalypt & Co. Clinic Supply"
    assert article["mainEntityOfPage"] == f"{STORE}/guides/after-a-sprain"
    assert meta(html, "og:type") == "article"


@pytest.mark.parametrize("url, expected", [
    ("/products", "/products"),
    ("/products?sort=price-desc", "/products"),
    ("/products?use=practice&suitable=vegan", "/products"),
    ("/products?category=oils&sort=price&avoid=tree-nuts", "/products?category=oils"),
    ("/products?category=oils&sort=name&page=2", "/products?category=oils&page=2"),
    ("/products?page=1", "/products"),
    ("/products?page=99", "/products?page=2"),  # 4 products, 2 a page: past the end shows, and points to, the last page
    ("/products/arnica-massage-oil", "/products/arnica-massage-oil"),
    ("/guides", "/guides"),
    ("/guides/after-a-sprain", "/guides/after-a-sprain"),
    ("/", "/"),
])
def test_catalogue_pages_point_to_their_canonical_form(client, shelf, url, expected):
    assert canonical(client.get(url).get_data(as_text=True)) == STORE + expected


def test_link_previews_show_the_product_artwork(client, shelf):
    html = client.get("/products/arnica-massage-oil").get_data(as_text=True)
    assert meta(html, "og:title") == "Arnica Massage Oil"
    assert meta(html, "og:description") == meta(html, "description") == "Arnica and sunflower oil for aching muscles."
    assert meta(html, "og:image") == f"{STORE}/products/arnica-massage-oil/art.svg"
    assert meta(html, "og:type") == "product"
    assert meta(html, "og:url") == f"{STORE}/products/arnica-massage-oil"
    assert client.get("/products/arnica-massage-oil/art.svg").mimetype == "image/svg+xml"


def test_the_sitemap_lists_public_pages_only_with_their_dates(client, shelf):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in ElementTree.fromstring(response.data).findall("s:url", ns)}
    oil, guide = shelf["oil"], shelf["guide"]
    assert urls[f"{STORE}/products/arnica-massage-oil"] == oil.created_at.date().isoformat()
    assert urls[f"{STORE}/guides/after-a-sprain"] == guide.updated_at.date().isoformat()
    assert f"{STORE}/products?category=oils" in urls
    assert f"{STORE}/privacy" in urls
    # Unpublished things, and a category with nothing published in it, are not listed.
    assert not any("withdrawn-balm" in u or "draft-guide" in u or "category=balms" in u for u in urls)
    robots = robots_rules(client)
    for url in urls:
        assert url.startswith(STORE + "/")
        assert robots.can_fetch("*", url), url
        assert not re.search(r"/(cart|checkout|account|admin|plans?|orders|quick-order)\b|[?&]q=", url), url


@pytest.mark.parametrize("path", ["/cart", "/checkout/success?session_id=x", "/account", "/account/orders/1",
                                  "/admin/", "/plan/abc123", "/plans", "/orders/tok", "/quick-order",
                                  "/products?q=arnica"])
def test_robots_txt_keeps_crawlers_off_private_pages_and_search_results(client, path):
    assert not robots_rules(client).can_fetch("*", STORE + path)


def test_robots_txt_lets_crawlers_reach_the_catalogue_and_names_the_sitemap(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    robots = robots_rules(client)
    for path in ("/", "/products", "/products?category=oils", "/products/arnica-massage-oil", "/guides/x", "/terms"):
        assert robots.can_fetch("*", STORE + path), path
    assert f"Sitemap: {STORE}/sitemap.xml" in text.splitlines()
    assert "Disallow: /products?*&q=" in text  # a search after other arguments, for crawlers that read wildcards


def test_care_plan_pages_and_other_private_pages_say_noindex(client, shelf):
    practitioner = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    plan = CarePlan(practitioner=practitioner, title="Lower back")
    db.session.add(plan)
    db.session.commit()
    add_to_cart(client, shelf["oil"].variants[0].id, 1)
    for url in (f"/plan/{plan.token}", "/plan/not-a-real-link", "/cart", "/account/sign-in", "/products?q=arnica"):
        html = client.get(url).get_data(as_text=True)
        assert meta(html, "robots") == "noindex", url
    for url in ("/", "/products", "/products?category=oils", "/products/arnica-massage-oil", "/guides/after-a-sprain", "/privacy"):
        assert meta(client.get(url).get_data(as_text=True), "robots") is None, url
