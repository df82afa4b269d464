"""A practitioner's volume price is what Stripe is asked to charge, what the order keeps and what the receipt shows."""
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from tests.admin.support import signed_in
from tests.helpers import add_to_cart, checkout
from tests.volume.support import litre_of_oil


def test_stripe_receives_the_volume_price_as_the_unit_amount_and_names_it(app, client, double):
    oil = litre_of_oil()
    signed_in(client, "practitioner")
    assert add_to_cart(client, oil.id, 12).status_code == 303
    assert checkout(client).status_code == 303

    (request,) = [r for r in double.requests if r["method"] == "POST" and r["path"] == "/v1/checkout/sessions"]
    (item,) = request["params"]["line_items"]
    assert (item["price_data"]["unit_amount"], item["quantity"]) == ("2700", "12")
    assert item["price_data"]["product_data"]["description"].endswith("· volume price, 12 or more")
    order = db.session.scalars(select(Order)).one()
    (line,) = order.lines
    assert (line.unit_price_pence, line.volume_min_quantity, order.subtotal_pence) == (2700, 12, 32400)
    assert double.sessions[order.checkout_session_id]["amount_subtotal"] == 32400
    assert double.sessions[order.checkout_session_id]["amount_total"] == order.total_pence

    double.complete(order.checkout_session_id, send_webhook=False)
    page = client.get(f"/checkout/success?session_id={order.checkout_session_id}").get_data(as_text=True)
    assert "£27.00<span class=\"volume-note\">volume price, 12 or more</span>" in page
