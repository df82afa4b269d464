"""Product pages, care guides, and the links between them."""
import re

from tests import factories as make


def test_product_page_shows_every_size_with_price_per_100_and_stock(client, app):
    make.product(
        "Grapeseed Oil",
        slug="grapeseed-oil",
        category_slug="oils",
        sizes=((100, 699, 30), (1000, 2999, 2), (5000, 8999, 0)),
        how_to_use="Warm between the palms.",
        ingredients="Vitis Vinifera Seed Oil, Tocopherol",
    )
    html = client.get("/products/grapeseed-oil").get_data(as_text=True)
    assert "<h1>Grapeseed Oil</h1>" in html
    assert "£6.99" in html and "£6.99 per 100 ml" in html
    assert "£29.99" in html and "£3.00 per 100 ml" in html  # the 1 L refill is far cheaper per 100 ml
    assert "£89.99" in html and "£1.80 per 100 ml" in html
    assert "Only 2 left" in html and "Out of stock" in html
    assert "Warm between the palms." in html
    assert "Vitis Vinifera Seed Oil, Tocopherol" in html
    # The sold-out 5 L is shown but cannot be chosen; the first size in stock is preselected.
    radios = re.findall(r'<input type="radio" name="variant_id"[^>]*>', html)
    assert len(radios) == 3
    assert "checked" in radios[0] and "disabled" not in radios[0]
    assert "disabled" in radios[2]
    assert html.count("Professional</span>") == 2


def test_allergens_and_cautions_are_prominent(client, app):
    make.product("Arnica Cream", slug="arnica-cream", allergens=("compositae",),
                 cautions="Do not use on broken skin.")
    html = client.get("/products/arnica-cream").get_data(as_text=True)
    assert "<strong>Contains:</strong> Compositae" in html
    assert "safety-prominent" in html
    assert "Do not use on broken skin." in html


def test_unpublished_and_unknown_products_get_a_friendly_404(client, app):
    make.product("Old Balm", slug="old-balm", published=False)
    for url in ("/products/old-balm", "/products/no-such-thing"):
        response = client.get(url)
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "Page not found" in html
        assert "find that product" in html
        assert 'href="/products"' in html  # the layout's navigation is there


def test_unknown_address_gets_the_404_page(client, app):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "It may have moved" in response.get_data(as_text=True)


def test_guides_list_newest_first_and_hide_drafts(client, app):
    from datetime import datetime

    make.guide("Older guide", published_at=datetime(2026, 1, 1))
    make.guide("Newer guide", published_at=datetime(2026, 5, 1))
    make.guide("Draft guide", published=False)
    html = client.get("/guides").get_data(as_text=True)
    assert html.index("Newer guide") < html.index("Older guide")
    assert "Draft guide" not in html


def test_guide_and_product_link_each_other(client, app):
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil")
    make.guide(
        "Choosing an oil",
        slug="choosing-an-oil",
        products=[oil],
        body="## Light oils\n\nTry [Grapeseed Oil](/products/grapeseed-oil) for long strokes.\n",
    )
    guide_html = client.get("/guides/choosing-an-oil").get_data(as_text=True)
    assert '<a href="/products/grapeseed-oil" rel="noopener noreferrer">Grapeseed Oil</a>' in guide_html
    assert "Products in this guide" in guide_html
    assert "not medical advice" in guide_html
    product_html = client.get("/products/grapeseed-oil").get_data(as_text=True)
    assert "Care guides for this product" in product_html
    assert 'href="/guides/choosing-an-oil"' in product_html


def test_a_draft_guide_is_not_linked_from_its_products(client, app):
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil")
    make.guide("Secret draft", slug="secret-draft", products=[oil], published=False)
    assert "Secret draft" not in client.get("/products/grapeseed-oil").get_data(as_text=True)
    assert client.get("/guides/secret-draft").status_code == 404


def test_guide_markdown_is_sanitised(client, app):
    make.guide(
        "Unsafe",
        slug="unsafe",
        body='Hello <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n',
    )
    html = client.get("/guides/unsafe").get_data(as_text=True)
    article = html[html.index('<div class="prose">'):]
    assert "<script>alert" not in article
    assert "javascript:" not in article
    assert "onerror" not in article


def test_home_page_has_categories_featured_products_and_latest_guides(client, app):
    make.product("Home Lotion", featured=True, for_home_care=True, for_practice=False)
    make.product("Clinic Refill", featured=True, for_home_care=False, for_practice=True, category_slug="oils")
    make.product("Plain Cream", featured=False)
    make.guide("Patch testing")
    html = client.get("/").get_data(as_text=True)
    home = html[html.index("For home care</h2>"):html.index("For practice</h2>")]
    practice = html[html.index("For practice</h2>"):html.index("Latest care guides")]
    assert "Home Lotion" in home and "Clinic Refill" not in home
    assert "Clinic Refill" in practice
    assert "Plain Cream" not in html
    assert "Patch testing" in html
    assert 'href="/products?category=oils"' in html


def test_product_art_is_an_svg_in_the_products_colours(client, app):
    make.product("Blue Gel", slug="blue-gel", container="tube", colour="#123456")
    response = client.get("/products/blue-gel/art.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert "#123456" in body and "Blue Gel" in body
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    again = client.get("/products/blue-gel/art.svg", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_every_page_sends_security_headers(client, app):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
