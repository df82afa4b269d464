"""Choosing delivery in the cart: a plain form, or the script's request for the summary alone."""
import pytest

from tests import factories as make
from tests.helpers import add_to_cart, choose_delivery, csrf_token, ensure_delivery, sign_in


@pytest.fixture
def oil(app):
    ensure_delivery()
    return make.product("Grapeseed Oil", sizes=((100, 699, 20),))


def post_delivery(client, postcode, method="", **headers):
    return client.post("/cart/delivery", data={"postcode": postcode, "method": method, "csrf_token": csrf_token(client)},
                       headers=headers)


def test_the_cart_prices_each_method_for_the_postcode_and_the_choice_sets_the_total(client, oil):
    add_to_cart(client, oil.variants[0].id, 2)
    assert "Choose a delivery method above before checking out." in client.get("/cart").get_data(as_text=True)
    assert post_delivery(client, " bt1 1aa ", "tracked-24").status_code == 303
    html = client.get("/cart").get_data(as_text=True)
    assert 'value="BT1 1AA"' in html and "Delivery to BT1 1AA (Northern Ireland)" in html
    assert "Royal Mail Tracked 48" in html and "£6.95" in html and "2–3 working days" in html
    assert 'value="tracked-24" checked' in html and "£8.95" in html
    assert "£22.93" in html  # 2 × £6.99 + £8.95
    assert "Choose a delivery method above" not in html


def test_a_malformed_postcode_is_a_400_with_the_message_by_the_field(client, oil):
    add_to_cart(client, oil.variants[0].id, 1)
    response = post_delivery(client, "not a postcode", "tracked-48")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="postcode-error">Enter a UK postcode, like M1 1AA or SW1A 2AA.' in html and 'aria-invalid="true"' in html
    with client.session_transaction() as session:
        assert "delivery" not in session


def test_a_postcode_we_do_not_deliver_to_says_so_and_offers_collection(client, oil):
    add_to_cart(client, oil.variants[0].id, 1)
    post_delivery(client, "GIR 0AA")
    html = client.get("/cart").get_data(as_text=True)
    assert "Sorry, we don&#39;t deliver to GIR 0AA. You can still choose click &amp; collect." in html
    assert 'value="click-collect"' in html and 'value="tracked-48"' not in html


def test_the_script_gets_the_summary_alone_with_the_new_total(client, oil):
    add_to_cart(client, oil.variants[0].id, 1)
    response = post_delivery(client, "M1 1AA", "tracked-24", **{"X-Requested-With": "fetch"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="cart-summary"' in html and "<dd data-cart-total>£13.94</dd>" in html  # £6.99 + £6.95
    wrong = post_delivery(client, "M1", "tracked-24", **{"X-Requested-With": "fetch"})
    assert wrong.status_code == 400 and "<html" not in wrong.get_data(as_text=True)
    assert "Enter a UK postcode" in wrong.get_data(as_text=True)


def test_a_signed_in_customer_starts_from_their_last_delivery_postcode(client, oil):
    buyer = make.user("jo@example.com")
    make.paid_order(buyer, [(oil.variants[0], 1)])
    from shop.extensions import db
    from shop.orders.models import Order

    order = db.session.query(Order).one()
    order.ship_postcode = "KA27 8AA"
    db.session.commit()
    sign_in(client, "jo@example.com", make.PASSWORD)
    add_to_cart(client, oil.variants[0].id, 1)
    html = client.get("/cart").get_data(as_text=True)
    assert 'value="KA27 8AA"' in html and "Highlands and Islands" in html
    choose_delivery(client, "LS1 1AA", "tracked-48")
    assert 'value="LS1 1AA"' in client.get("/cart").get_data(as_text=True)  # a new choice wins
