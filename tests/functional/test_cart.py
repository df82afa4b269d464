"""The cart: adding, changing and removing lines, prices from the database, and bad input."""
import pytest

from shop.catalog.models import Product
from shop.extensions import db
from tests import factories as make
from tests.helpers import add_to_cart, choose_delivery, csrf_token, stock_of


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 5), (1000, 2999, 0)))


def test_add_to_cart_shows_the_line_and_the_count(client, oil):
    small = oil.variants[0]
    response = add_to_cart(client, small.id, 2)
    assert response.status_code == 303 and response.headers["Location"].endswith("/cart")
    html = client.get("/cart").get_data(as_text=True)
    assert "Added 2 × Grapeseed Oil (100 ml) to your cart." in html
    assert "Grapeseed Oil" in html and "£6.99 each" in html
    assert "£13.98" in html  # subtotal
    choose_delivery(client, "LS1 4AB", "tracked-48")
    html = client.get("/cart").get_data(as_text=True)
    assert "£4.95" in html and "£18.93" in html  # Tracked 48 to Leeds, under its free-over threshold
    assert '<span class="cart-count" aria-label="2 items">2</span>' in html
    assert stock_of(small.id) == 5  # a cart holds nothing; checkout does


def test_standard_delivery_is_free_over_its_threshold(client, app):
    balm = make.product("Balm", sizes=((250, 5299, 3),))
    add_to_cart(client, balm.variants[0].id, 1)
    choose_delivery(client, "LS1 4AB", "tracked-48")
    html = client.get("/cart").get_data(as_text=True)
    assert "Free" in html and html.count("£52.99") >= 2  # the total is the goods alone


def test_prices_are_recomputed_from_the_database(client, oil):
    add_to_cart(client, oil.variants[0].id, 1)
    oil.variants[0].price_pence = 799
    db.session.commit()
    assert "£7.99 each" in client.get("/cart").get_data(as_text=True)


def test_adding_more_than_is_in_stock_says_how_many_are_left(client, oil):
    response = add_to_cart(client, oil.variants[0].id, 6)
    assert response.status_code == 400
    assert "Only 5 of Grapeseed Oil (100 ml) left" in response.get_data(as_text=True)
    add_to_cart(client, oil.variants[0].id, 4)
    again = add_to_cart(client, oil.variants[0].id, 2)
    assert again.status_code == 400
    assert "you already have 4 in your cart" in again.get_data(as_text=True)


def test_an_out_of_stock_size_cannot_be_added(client, oil):
    response = add_to_cart(client, oil.variants[1].id, 1)
    assert response.status_code == 400
    assert "out of stock" in response.get_data(as_text=True)
    assert '<span class="cart-count" aria-label="0 items">0</span>' in client.get("/cart").get_data(as_text=True)


@pytest.mark.parametrize(
    "quantity, message",
    [
        ("0", "Choose a quantity from 1 to 99."),
        ("-1", "Choose a quantity from 1 to 99."),
        ("1000000000", "Choose a quantity from 1 to 99."),
        ("abc", "whole number"),
        ("1.5", "whole number"),
        ("", "whole number"),
        ("1e3", "whole number"),
    ],
)
def test_bad_quantities_get_a_clear_400_and_nothing_changes(client, oil, quantity, message):
    response = add_to_cart(client, oil.variants[0].id, quantity)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "Grapeseed Oil" in response.get_data(as_text=True)  # back on the product page
    assert '<span class="cart-count" aria-label="0 items">0</span>' in client.get("/cart").get_data(as_text=True)


@pytest.mark.parametrize("variant_id", ["999999", "abc", "", "-5"])
def test_unknown_variants_are_refused(client, oil, variant_id):
    response = add_to_cart(client, variant_id, 1)
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_an_injected_price_is_ignored(client, oil):
    add_to_cart(client, oil.variants[0].id, 1, price="1", price_pence="1", unit_price_pence="1")
    html = client.get("/cart").get_data(as_text=True)
    assert "£6.99 each" in html and "£0.01" not in html


def test_posts_without_a_csrf_token_are_refused(client, oil):
    for url, data in [
        ("/cart/add", {"variant_id": oil.variants[0].id, "quantity": 1}),
        ("/cart/update", {"variant_id": oil.variants[0].id, "quantity": 1}),
        ("/cart/remove", {"variant_id": oil.variants[0].id}),
        ("/checkout", {}),
    ]:
        assert client.post(url, data=data).status_code == 400, url
        assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 400, url
    assert '<span class="cart-count" aria-label="0 items">0</span>' in client.get("/cart").get_data(as_text=True)


def test_change_and_remove_a_line(client, oil):
    variant_id = oil.variants[0].id
    add_to_cart(client, variant_id, 1)
    token = csrf_token(client)
    assert client.post("/cart/update", data={"variant_id": variant_id, "quantity": 3, "csrf_token": token}).status_code == 303
    assert "£20.97" in client.get("/cart").get_data(as_text=True)
    too_many = client.post("/cart/update", data={"variant_id": variant_id, "quantity": 9, "csrf_token": token})
    assert too_many.status_code == 400 and "Only 5 of Grapeseed Oil (100 ml) left" in too_many.get_data(as_text=True)
    for bad in ("0", "abc", "100"):
        assert client.post("/cart/update", data={"variant_id": variant_id, "quantity": bad, "csrf_token": token}).status_code == 400
    not_in_cart = client.post("/cart/update", data={"variant_id": oil.variants[1].id, "quantity": 1, "csrf_token": token})
    assert not_in_cart.status_code == 400
    assert client.post("/cart/remove", data={"variant_id": variant_id, "csrf_token": token}).status_code == 303
    assert "Your cart is empty." in client.get("/cart").get_data(as_text=True)
    assert client.post("/cart/remove", data={"variant_id": variant_id, "csrf_token": token}).status_code == 400


def test_lines_that_went_bad_are_flagged_and_block_checkout(client, oil):
    other = make.product("Arnica Cream", slug="arnica-cream", sizes=((50, 1099, 10),))
    add_to_cart(client, oil.variants[0].id, 4)
    add_to_cart(client, other.variants[0].id, 1)
    # Since they were added: stock fell, and a product was withdrawn.
    oil.variants[0].stock_on_hand = 2
    db.session.get(Product, other.id).published = False
    db.session.commit()
    html = client.get("/cart").get_data(as_text=True)
    assert "Only 2 left. Please lower the quantity." in html
    assert "No longer available. Please remove it." in html
    assert "disabled" in html[html.index('action="/checkout"'):]
    response = client.post("/checkout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 409
    assert "Please fix the items marked in your cart" in response.get_data(as_text=True)
