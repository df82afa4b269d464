"""What Stripe is asked to charge a practitioner: trade prices only once approved."""
import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, checkout, sign_in


@pytest.mark.parametrize("status, unit_amount", [("approved", "750"), ("pending", "1000"), ("rejected", "1000"), (None, "1000")])
def test_stripe_receives_trade_prices_only_for_approved_practitioners(app, double, status, unit_amount):
    oil = make.product("Grapeseed Oil", sizes=((100, 1000, 20),))  # trade price £7.50
    make.user("physio@example.com", trade_status=status)
    client = app.test_client()
    assert sign_in(client, "physio@example.com", PASSWORD).status_code == 303
    add_to_cart(client, oil.variants[0].id, 4)
    assert checkout(client).status_code == 303

    (request,) = [r for r in double.requests if r["method"] == "POST" and r["path"] == "/v1/checkout/sessions"]
    params = request["params"]
    assert [(i["price_data"]["unit_amount"], i["quantity"]) for i in params["line_items"]] == [(unit_amount, "4")]
    assert params["customer_email"] == "physio@example.com"  # a signed-in buyer's email goes to Stripe
    order = db.session.scalars(select(Order)).one()
    assert double.sessions[order.checkout_session_id]["amount_total"] == order.total_pence
    assert order.user_id is not None
