"""A code in the cart: entered as a form, priced on the server, never stacked on a care plan's discount."""
import pytest

from shop.cart.services import PlanDiscount, price_cart
from tests import factories as make
from tests.helpers import add_to_cart, csrf_token, ensure_delivery
from tests.offers import support


@pytest.fixture
def cream(app):
    ensure_delivery()
    return make.product("Arnica Cream", sizes=((100, 2000, 10),))


def test_a_refused_code_is_a_400_with_its_message_by_the_field_and_is_not_kept(client, cream):
    support.code("BIG", min_spend_pence=5000)
    add_to_cart(client, cream.variants[0].id, 1)
    response = client.post("/cart/code", data={"code": "big", "csrf_token": csrf_token(client)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'aria-invalid="true"' in html
    assert 'id="discount-code-error">Spend £50.00 on items to use the code BIG (your items come to £20.00).' in html
    with client.session_transaction() as session:
        assert "offer_code" not in session


def test_guessing_codes_is_rate_limited_and_a_shopper_elsewhere_is_not(app, cream):
    support.code("SPRING10")
    guesser, shopper = app.test_client(), app.test_client()
    shopper.environ_base["REMOTE_ADDR"] = "192.0.2.7"  # another address
    add_to_cart(guesser, cream.variants[0].id, 1)
    token = csrf_token(guesser)
    for n in range(10):
        assert guesser.post("/cart/code", data={"code": f"GUESS{n}", "csrf_token": token}).status_code == 400
    blocked = guesser.post("/cart/code", data={"code": "SPRING10", "csrf_token": token})
    assert blocked.status_code == 429 and "Too many discount codes" in blocked.get_data(as_text=True)
    add_to_cart(shopper, cream.variants[0].id, 1)
    assert shopper.post("/cart/code", data={"code": "SPRING10", "csrf_token": csrf_token(shopper)}).status_code == 303


def test_a_kept_code_that_stops_applying_says_why_and_takes_nothing_off(client, cream):
    from shop.extensions import db

    code = support.code("TEN")
    add_to_cart(client, cream.variants[0].id, 1)
    assert client.post("/cart/code", data={"code": "ten", "csrf_token": csrf_token(client)}).status_code == 303
    assert "−£2.00" in client.get("/cart").get_data(as_text=True)
    code.max_uses, code.uses_taken = 5, 5
    db.session.commit()
    html = client.get("/cart").get_data(as_text=True)
    assert "The code TEN has been used as many times as it can be." in html and "−£2.00" not in html
    client.post("/cart/code", data={"code": "", "remove": "1", "csrf_token": csrf_token(client)})
    assert "The code TEN" not in client.get("/cart").get_data(as_text=True)


def test_a_code_and_a_care_plan_discount_never_stack_the_bigger_saving_wins(cream):
    variant = cream.variants[0]
    plan = PlanDiscount(plan_id=1, percent=10, variant_ids=frozenset({variant.id}), label="10% patient discount from Harbour Physio")
    support.code("FIVE", percent_off=5)
    support.code("FIFTEEN", percent_off=15)
    kept = price_cart({variant.id: 2}, currency="gbp", plan=plan, code="FIVE")
    assert (kept.code, kept.discount_pence, kept.total_pence) == (None, 400, 3600)
    assert kept.code_note == ("Your clinic's patient discount saves you £4.00, more than the code FIVE would (£2.00), "
                              "so we kept it: the two don't combine.")
    swapped = price_cart({variant.id: 2}, currency="gbp", plan=plan, code="FIFTEEN")
    assert (swapped.discount_pence, swapped.code_discount_pence, swapped.total_pence) == (0, 600, 3400)
    assert swapped.lines[0].unit_price_pence == 2000 and swapped.lines[0].from_plan  # still credited to the plan
    assert swapped.code_note.startswith("The code FIFTEEN saves you £6.00, more than your clinic's patient discount (£4.00)")
