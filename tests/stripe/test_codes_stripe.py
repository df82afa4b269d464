"""A discount code from the cart to Stripe's page to the receipt: one amount, to the penny, everywhere."""
import re

import pytest
import stripe
from sqlalchemy import select

from shop.extensions import db
from shop.money import vat_included
from shop.offers.models import DiscountCode, DiscountUse
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, checkout, choose_delivery, csrf_token
from tests.offers import support
from tests.stripe.double import SECRET_KEY


@pytest.fixture
def cream(app):
    return make.product("Arnica Cream", sizes=((100, 1399, 10),))


def only_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def enter_code(client, code):
    return client.post("/cart/code", data={"code": code, "csrf_token": csrf_token(client)})


def posts(double, path):
    return [r for r in double.requests if r["method"] == "POST" and r["path"] == path]


def test_the_code_reaches_stripe_as_a_one_off_coupon_and_everything_reconciles(client, double, cream):
    support.code("SPRING15", percent_off=15)
    add_to_cart(client, cream.variants[0].id, 3)  # £41.97
    choose_delivery(client, "IV2 3AB", "tracked-24")  # £10.95 to the Highlands
    assert enter_code(client, " spring 15 ").status_code == 303
    cart = client.get("/cart").get_data(as_text=True)
    assert "Discount (SPRING15)" in cart and "−£6.30" in cart and "£46.62" in cart  # 4197 - 630 + 1095
    assert checkout(client).status_code == 303
    order = only_order()
    assert (order.subtotal_pence, order.code_discount_pence, order.shipping_pence, order.total_pence) == (4197, 630, 1095, 4662)

    (coupon_request,) = posts(double, "/v1/coupons")
    assert coupon_request["params"] == {"amount_off": "630", "currency": "gbp", "duration": "once", "max_redemptions": "1",
                                        "name": "SPRING15", "metadata": {"order_id": str(order.id), "order_number": order.number}}
    assert coupon_request["headers"]["Idempotency-Key"] == f"coupon-checkout-{order.token}"
    (session_request,) = posts(double, "/v1/checkout/sessions")
    coupon_id = next(iter(double.coupons))
    assert session_request["params"]["discounts"] == [{"coupon": coupon_id}]
    session = double.sessions[order.checkout_session_id]
    assert session["amount_subtotal"] == 4197 and session["total_details"]["amount_discount"] == 630
    assert session["total_details"]["amount_shipping"] == 1095 and session["amount_total"] == order.total_pence
    assert sum(item["amount_total"] for item in double.line_items[order.checkout_session_id]) == 4197 - 630

    double.complete(order.checkout_session_id, send_webhook=False, address={"postal_code": "IV2 3AB", "city": "Inverness"})
    client.get(f"/checkout/success?session_id={order.checkout_session_id}")
    order = only_order()
    assert order.status == "paid" and double.coupons[coupon_id]["times_redeemed"] == 1
    assert db.session.scalars(select(DiscountUse.status)).all() == ["used"]
    receipt = client.get(f"/orders/{order.token}/receipt").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", receipt).split())
    assert "Discount (SPRING15) −£6.30" in text and "Royal Mail Tracked 24" in text and "£10.95" in text
    assert "Total £46.62" in text
    vat = vat_included(4662, 20)  # on what was paid, after the discount: £7.77
    assert f"VAT included in this receipt: £{vat // 100}.{vat % 100:02d} , on the prices after the SPRING15 discount" in text


def test_a_free_delivery_code_zeroes_the_shipping_option_and_needs_no_coupon(client, double, cream):
    support.code("SHIPFREE", kind="free_delivery")
    add_to_cart(client, cream.variants[0].id, 1)
    choose_delivery(client, "BT1 1AA", "tracked-48")
    enter_code(client, "shipfree")
    checkout(client)
    order = only_order()
    assert (order.shipping_pence, order.code_delivery_off_pence, order.total_pence) == (0, 695, 1399)
    rate = posts(double, "/v1/checkout/sessions")[0]["params"]["shipping_options"][0]["shipping_rate_data"]
    assert rate["display_name"] == "Royal Mail Tracked 48 (free with SHIPFREE)" and rate["fixed_amount"]["amount"] == "0"
    assert not posts(double, "/v1/coupons") and double.sessions[order.checkout_session_id]["amount_total"] == 1399


def test_cancelling_the_checkout_gives_the_use_back_once(client, double, cream):
    capped = support.code("LAST", percent_off=10, max_uses=1)
    add_to_cart(client, cream.variants[0].id, 1)
    enter_code(client, "LAST")
    checkout(client)
    order = only_order()
    db.session.refresh(capped)
    assert capped.uses_taken == 1
    other = client.application.test_client()
    add_to_cart(other, cream.variants[0].id, 1)
    refused = enter_code(other, "last")
    assert refused.status_code == 400 and "The code LAST has been used as many times as it can be." in refused.get_data(as_text=True)
    client.get(f"/checkout/cancel?order={order.token}")
    client.get(f"/checkout/cancel?order={order.token}")
    db.session.expire_all()
    assert db.session.get(DiscountCode, capped.id).uses_taken == 0
    assert db.session.scalars(select(DiscountUse.status)).all() == ["released"]
    assert enter_code(other, "last").status_code == 303


def test_the_double_refuses_coupons_stripe_would_refuse(double):
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": double.url})
    for params, message in [
        ({"amount_off": 500, "percent_off": "10", "currency": "gbp"}, "exactly one of `amount_off` or `percent_off`"),
        ({"amount_off": 500}, "You must pass `currency`"),
        ({"amount_off": 0, "currency": "gbp"}, "Invalid positive integer"),
        ({"percent_off": "10", "duration": "repeating"}, "Missing required param: duration_in_months"),
        ({"percent_off": "10", "name": "x" * 41}, "must be at most 40 characters"),
    ]:
        with pytest.raises(stripe.InvalidRequestError, match=re.escape(message)):
            client.v1.coupons.create(params=params)
    coupon = client.v1.coupons.create(params={"amount_off": 500, "currency": "eur", "duration": "once"})
    base = {"mode": "payment", "success_url": "http://x.test/s", "cancel_url": "http://x.test/c",
            "line_items": [{"quantity": 1, "price_data": {"currency": "gbp", "unit_amount": 1000, "product_data": {"name": "Oil"}}}]}
    for discounts, message in [([{"coupon": "nope"}], "No such coupon: 'nope'"),
                               ([{"coupon": coupon.id}], "must match the currency"),
                               ([{"coupon": coupon.id}, {"coupon": coupon.id}], "only specify one discount")]:
        with pytest.raises(stripe.InvalidRequestError, match=re.escape(message)):
            client.v1.checkout.sessions.create(params={**base, "discounts": discounts})


def test_a_checkout_that_lapses_gives_its_use_back(client, double, cream):
    from datetime import timedelta

    from shop.checkout.services import release_expired
    from shop.payments.services import get_gateway

    capped = support.code("LAPSE", percent_off=10, max_uses=5)
    add_to_cart(client, cream.variants[0].id, 1)
    enter_code(client, "lapse")
    checkout(client)
    order = only_order()
    with client.application.test_request_context():
        assert release_expired(get_gateway(), now=order.hold_expires_at + timedelta(seconds=1)).released == 1
    db.session.expire_all()
    assert db.session.get(DiscountCode, capped.id).uses_taken == 0
    assert db.session.scalars(select(DiscountUse.status)).all() == ["released"]
