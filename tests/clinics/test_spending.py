"""A buyer's monthly limit: counted in UK calendar months; an order over it waits for one owner's decision,
made once from the emailed link, and the approved cart is checked out once."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from shop.accounts.tokens import make_token
from shop.clinics.models import SpendingApproval
from shop.clinics.services import ClinicError
from shop.clinics.spending import APPROVAL, decide, spent_this_month
from shop.extensions import db
from shop.messages.models import Message
from shop.orders.models import Order
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, checkout, choose_delivery, csrf_token, sign_in, stock_of


def test_the_month_is_the_uk_calendar_month_and_released_checkouts_do_not_count(app, jo, sam, oil):
    def order(at, total, status="paid", refunded=0):
        o = make.paid_order(sam, [(oil.variants[0], 1, total)], paid_at=at, status=status)
        o.clinic_id, o.refunded_pence = jo.clinic.id, refunded
        db.session.commit()

    order(datetime(2026, 5, 31, 22, 30), 1000)  # 23:30 on 31 May in London: May's
    order(datetime(2026, 5, 31, 23, 30), 2000)  # 00:30 on 1 June in London (BST): June's
    order(datetime(2026, 6, 10, 9, 0), 700, status="pending_payment")  # awaiting payment: counts
    order(datetime(2026, 6, 11, 9, 0), 900, status="cancelled")
    order(datetime(2026, 6, 12, 9, 0), 800, status="expired")
    order(datetime(2026, 6, 13, 9, 0), 500, refunded=200)  # what was refunded is not spent
    assert spent_this_month(jo.clinic.id, sam.id, datetime(2026, 6, 15, 12, 0)) == 2000 + 700 + 300
    assert spent_this_month(jo.clinic.id, sam.id, datetime(2026, 5, 31, 22, 59)) == 1000
    make.paid_order(jo, [(oil.variants[0], 1, 9999)], paid_at=datetime(2026, 6, 14))  # someone else's spending
    assert spent_this_month(jo.clinic.id, sam.id, datetime(2026, 6, 30, 22, 59)) == 3000


def over_the_limit(client, oil, quantity=7):
    """Sam's cart of 7 × £7.50 trade plus delivery: over his £50 limit."""
    sign_in(client, "sam@harbour.example", PASSWORD)
    add_to_cart(client, oil.variants[0].id, quantity)
    choose_delivery(client)


def approval_path(app) -> str:
    text = db.session.scalars(select(Message.text_body).where(Message.kind == "clinic_approval_request")).one()
    return re.search(r"https?://[^/\s]+(/account/clinic/approvals/\S+)", text).group(1)


def test_an_order_over_the_limit_waits_for_the_owners_approval_then_checks_out(app, jo, sam, oil):
    buyer = app.test_client()
    over_the_limit(buyer, oil)
    cart = buyer.get("/cart").get_data(as_text=True)
    assert "Ask the owner to approve" in cart and "Your monthly limit: £50.00; spent this month £0.00." in cart
    refused = buyer.post("/checkout", data={"csrf_token": csrf_token(buyer)})
    assert refused.status_code == 409 and "over your monthly limit" in refused.get_data(as_text=True)
    assert db.session.scalars(select(Order)).all() == [] and stock_of(oil.variants[0].id) == 20

    for _ in range(2):  # asking twice for the same cart sends one email
        assert buyer.post("/account/clinic/ask-approval", data={"csrf_token": csrf_token(buyer)}).status_code == 303
    assert "Waiting for approval" in buyer.get("/cart").get_data(as_text=True)
    request = db.session.scalars(select(Message).where(Message.kind == "clinic_approval_request")).one()
    assert request.recipient == "jo@harbour.example" and "Sam Buyer asks you to approve" in request.subject
    path = approval_path(app)
    assert buyer.get(path).status_code == 403  # the buyer cannot approve their own order

    owner = app.test_client()
    sign_in(owner, "jo@harbour.example", PASSWORD)
    page = owner.get(path).get_data(as_text=True)
    assert "7" in page and "Approve this order" in page
    assert owner.post(path, data={"decision": "approve", "csrf_token": csrf_token(owner)}).status_code == 303
    again = owner.post(path, data={"decision": "decline", "csrf_token": csrf_token(owner)})
    assert again.status_code == 409 and "already approved by Jo Owner" in again.get_data(as_text=True)
    told = db.session.scalars(select(Message).where(Message.kind.like("clinic_approval_%d"))).all()
    assert [(m.recipient, m.kind) for m in told] == [("sam@harbour.example", "clinic_approval_approved")]

    approval = db.session.scalars(select(SpendingApproval)).one()
    assert buyer.post(f"/account/clinic/approved/{approval.id}", data={"csrf_token": csrf_token(buyer)}).status_code == 303
    assert "This order is approved by Jo Owner" in buyer.get("/cart").get_data(as_text=True)
    assert checkout(buyer).status_code == 303
    order = db.session.scalars(select(Order)).one()
    db.session.refresh(approval)
    assert (order.clinic_id, order.user_id, approval.order_id) == (jo.clinic.id, sam.id, order.id)
    assert stock_of(oil.variants[0].id) == 13

    # The same approval cannot pay for a second checkout while the first stands ...
    add_to_cart(buyer, oil.variants[0].id, 1)
    assert buyer.post("/checkout", data={"csrf_token": csrf_token(buyer)}).status_code == 409
    # ... but a checkout cancelled at the payment page gives it back.
    assert buyer.get(f"/checkout/cancel?order={order.token}").status_code == 303
    buyer.post(f"/account/clinic/approved/{approval.id}", data={"csrf_token": csrf_token(buyer)})
    assert checkout(buyer).status_code == 303
    db.session.refresh(approval)
    assert approval.order_id != order.id and db.session.get(Order, approval.order_id).status == "pending_payment"


def asked(app, jo, sam, oil) -> str:
    approval = SpendingApproval(clinic_id=jo.clinic.id, buyer_id=sam.id, status="waiting", total_pence=6000,
                                spent_pence=0, limit_pence=5000,
                                cart_json='{"lines": [{"variant_id": %d, "quantity": 8}]}' % oil.variants[0].id)
    db.session.add(approval)
    db.session.commit()
    with app.app_context():
        return make_token(APPROVAL, {"id": approval.id})


def test_the_first_decision_wins_and_the_buyer_hears_only_it(app, jo, sam, oil):
    kim = make.clinic_member(jo.clinic, "kim@harbour.example", role="owner", name="Kim")
    token = asked(app, jo, sam, oil)
    with app.test_request_context():
        decide(kim, token, approve=False)
        with pytest.raises(ClinicError, match="already declined by Kim"):
            decide(jo, token, approve=True)
    approval = db.session.scalars(select(SpendingApproval)).one()
    assert (approval.status, approval.decided_by_id) == ("declined", kim.id)
    assert db.session.scalars(select(Message.kind).where(Message.recipient == "sam@harbour.example")).all() == \
        ["clinic_approval_declined"]


def test_only_an_owner_of_that_clinic_can_open_the_approval(app, jo, sam, oil):
    token = asked(app, jo, sam, oil)
    make.user("lee@riverside.example", trade_status="approved")
    client = app.test_client()
    sign_in(client, "lee@riverside.example", PASSWORD)
    path = f"/account/clinic/approvals/{token}"
    assert client.get(path).status_code == 404
    assert client.post(path, data={"decision": "approve", "csrf_token": csrf_token(client)}).status_code == 404
    assert app.test_client().get(path).status_code == 302  # signed out: to sign in first
    assert db.session.scalars(select(SpendingApproval.status)).one() == "waiting"
