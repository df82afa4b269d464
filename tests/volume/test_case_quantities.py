"""A size sold only in cases of 6: every way into the cart refuses other quantities, saying which would do."""
from shop.cart.services import price_cart
from shop.reorder.services import Wanted, add_many, add_strictly
from tests import factories as make
from tests.admin.support import signed_in
from tests.helpers import add_to_cart, csrf_token
from tests.volume.support import litre_of_oil


def cart_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("cart") or {})


def test_adding_a_quantity_that_is_not_whole_cases_is_refused_and_changes_nothing(app, client):
    oil = litre_of_oil(case=6, breaks=())
    refused = add_to_cart(client, oil.id, 4)
    assert refused.status_code == 400
    assert "Almond Oil (1 L) is sold in cases of 6: choose 6." in refused.get_data(as_text=True)
    assert cart_of(client) == {}
    assert add_to_cart(client, oil.id, 6).status_code == 303
    again = add_to_cart(client, oil.id, 3)
    assert again.status_code == 400
    assert "choose 6 or 12 in all (you have 6 in your cart)" in again.get_data(as_text=True)
    assert cart_of(client) == {str(oil.id): 6}


def test_updating_a_line_to_part_of_a_case_is_refused_and_changes_nothing(app, client):
    oil = litre_of_oil(case=6, breaks=())
    add_to_cart(client, oil.id, 6)
    response = client.post("/cart/update", data={"variant_id": oil.id, "quantity": 8, "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert "is sold in cases of 6: choose 6 or 12." in response.get_data(as_text=True)
    assert cart_of(client) == {str(oil.id): 6}


def test_the_product_page_steps_the_quantity_by_the_case_for_everyone(app, client):
    oil = litre_of_oil(case=6, breaks=())
    page = client.get(f"/products/{oil.product.slug}").get_data(as_text=True)
    assert "Sold in cases of 6" in page
    assert 'min="6"' in page and 'step="6"' in page and 'value="6"' in page


def test_buy_again_leaves_out_a_line_that_is_not_whole_cases_and_adds_whole_cases_of_what_is_left(app):
    oil = litre_of_oil(stock=10, case=6, breaks=())
    cart, report = add_many({}, [Wanted(oil.id, 4)], max_per_line=99, trade=False, currency="gbp")
    assert cart == {}
    assert report.unavailable == ["Almond Oil (1 L) is sold in cases of 6, so 4 could not be added: choose a number of cases on its page."]
    cart, report = add_many({}, [Wanted(oil.id, 12)], max_per_line=99, trade=False, currency="gbp")
    assert cart == {oil.id: 6}  # 10 on the shelf: one whole case, never 10
    assert report.short == ["Almond Oil (1 L): only 6 of 12 added (that's all we have)."]


def test_buy_again_from_a_past_order_goes_through_the_same_rule(app, client):
    oil = litre_of_oil(case=6, breaks=())
    owner = signed_in(client, "customer")
    order = make.paid_order(owner, [(oil, 4)])
    response = client.post(f"/account/orders/{order.id}/buy-again", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 303
    assert cart_of(client) == {}
    assert "is sold in cases of 6, so 4 could not be added" in client.get("/cart").get_data(as_text=True)


def test_the_quick_order_pad_marks_a_quantity_that_is_not_whole_cases(app):
    oil = litre_of_oil(case=6, breaks=())
    cart, problems = add_strictly({}, [Wanted(oil.id, 5)], max_per_line=99)
    assert (cart, problems) == ({}, {oil.id: "Sold in cases of 6: enter a multiple of 6."})


def test_a_line_put_in_the_cart_before_the_size_went_into_cases_blocks_checkout(app):
    oil = litre_of_oil(case=6, breaks=())
    cart = price_cart({oil.id: 4}, currency="gbp")
    assert cart.lines[0].problem == "Sold in cases of 6. Please change the quantity."
    assert cart.lines[0].can_buy == 6 and not cart.lines_ok
