"""The delivery chosen in the cart reaches Stripe as the one shipping option, and the address Stripe
collects is checked against the zone that was charged."""
import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.messages.models import Message
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, checkout, choose_delivery


@pytest.fixture
def balm(app):
    return make.product("Arnica Balm", sizes=((100, 1299, 10), (5000, 12999, 5)), container="jar")


def only_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def created_session(double) -> dict:
    (request,) = [r for r in double.requests if r["method"] == "POST" and r["path"] == "/v1/checkout/sessions"]
    return request["params"]


def pay(client, double, order, **address):
    double.complete(order.checkout_session_id, send_webhook=False, address=address or None)
    return client.get(f"/checkout/success?session_id={order.checkout_session_id}")


def test_express_to_the_highlands_is_the_one_shipping_option_with_its_estimate(client, double, balm):
    add_to_cart(client, balm.variants[0].id, 2)
    choose_delivery(client, "iv2 3ab", "tracked-24")
    assert checkout(client).status_code == 303
    order = only_order()
    params = created_session(double)
    assert params["shipping_options"] == [{"shipping_rate_data": {
        "type": "fixed_amount", "display_name": "Royal Mail Tracked 24",
        "fixed_amount": {"amount": "1095", "currency": "gbp"},
        "delivery_estimate": {"minimum": {"unit": "business_day", "value": "1"},
                              "maximum": {"unit": "business_day", "value": "1"}}}}]
    assert params["shipping_address_collection"] == {"allowed_countries": ["GB"]}
    assert (order.delivery_method_name, order.delivery_zone_code, order.delivery_postcode) == (
        "Royal Mail Tracked 24", "highlands-islands", "IV2 3AB")
    assert (order.subtotal_pence, order.shipping_pence, order.total_pence) == (2598, 1095, 3693)
    assert double.sessions[order.checkout_session_id]["amount_total"] == order.total_pence
    page = pay(client, double, order, line1="3 Harbour Road", city="Inverness", postal_code="IV2 3AB")
    assert only_order().status == "paid"
    assert "Royal Mail Tracked 24" in page.get_data(as_text=True)


def test_a_5_litre_tub_to_the_hebrides_is_charged_the_courier_rate(client, double, balm):
    add_to_cart(client, balm.variants[1].id, 1)
    choose_delivery(client, "HS1 2AB", "tracked-48")  # too heavy for Royal Mail: dropped, the buyer chooses again
    assert "available to HS1 2AB: please choose one of those shown" in client.get("/cart").get_data(as_text=True)
    choose_delivery(client, "HS1 2AB", "courier")
    checkout(client)
    order = only_order()
    rate = created_session(double)["shipping_options"][0]["shipping_rate_data"]
    assert (rate["display_name"], rate["fixed_amount"]["amount"]) == ("DPD courier", "2495")
    assert order.total_pence == 12999 + 2495 == double.sessions[order.checkout_session_id]["amount_total"]
    pay(client, double, order, city="Stornoway", postal_code="HS1 2AB")
    assert only_order().status == "paid"


def test_click_and_collect_asks_stripe_for_no_address(client, double, balm):
    add_to_cart(client, balm.variants[0].id, 1)
    choose_delivery(client, "", "click-collect")
    checkout(client)
    params = created_session(double)
    assert "shipping_address_collection" not in params
    rate = params["shipping_options"][0]["shipping_rate_data"]
    assert (rate["display_name"], rate["fixed_amount"]["amount"]) == ("Click & collect", "0")
    order = only_order()
    page = pay(client, double, order)
    order = only_order()
    assert (order.status, order.shipping_pence, order.total_pence, order.shipping_address) == ("paid", 0, 1299, [])
    assert "Click &amp; collect" in page.get_data(as_text=True)


def test_an_address_outside_the_zone_charged_holds_the_order_and_tells_the_admins(client, double, balm):
    admin = make.user("admin@example.com", role="admin")
    add_to_cart(client, balm.variants[0].id, 1)
    choose_delivery(client, "LS1 1AA", "tracked-48")  # priced for Leeds...
    checkout(client)
    order = only_order()
    pay(client, double, order, line1="1 Commercial Street", city="Lerwick", postal_code="ZE1 0AA")  # ...sent to Shetland
    order = only_order()
    assert order.status == "needs_review" and order.paid_at is None
    assert "charged for Mainland Great Britain (LS1 1AA)" in order.review_reason and "ZE1 0AA" in order.review_reason
    (told,) = db.session.scalars(select(Message).where(Message.kind == "order_flagged")).all()
    assert told.recipient == admin.email and order.number in told.subject and "ZE1 0AA" in told.text_body
    pay_again = client.get(f"/checkout/success?session_id={order.checkout_session_id}")
    assert pay_again.status_code == 200
    assert db.session.scalar(select(db.func.count(Message.id)).where(Message.kind == "order_flagged")) == 1


def test_checkout_without_a_delivery_choice_is_refused(client, double, balm):
    from tests.helpers import csrf_token, ensure_delivery

    ensure_delivery()
    add_to_cart(client, balm.variants[0].id, 1)
    response = client.post("/checkout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 409
    assert "choose a delivery method" in response.get_data(as_text=True)
    assert not double.requests
