"""Refunds from the back office through the real `stripe` package and the Stripe double."""
import re

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.orders.models import Order, OrderRefund
from tests import factories as make
from tests.admin.support import signed_in
from tests.helpers import add_to_cart, assert_ledger_balances, checkout, page_token, stock_of


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 2000, 10),))


@pytest.fixture
def paid_order(app, client, double, oil):
    """3 × £20.00 bought and paid at Stripe: £60.00, free delivery."""
    add_to_cart(client, oil.variants[0].id, 3)
    assert checkout(client).status_code == 303
    order = db.session.scalars(select(Order)).one()
    double.complete(order.checkout_session_id, send_webhook=False)
    assert client.get(f"/checkout/success?session_id={order.checkout_session_id}").status_code == 200
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "paid" and order.total_pence == 6000 and order.payment_intent_id
    return order


@pytest.fixture
def admin(app):
    client = app.test_client()
    user = signed_in(client)
    client.user = user
    return client


def refund_form(admin, order):
    """The refund form as the order page renders it: its fields, including the one-off attempt token."""
    html = admin.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="([^"]+)"', html).group(1)
    return {"csrf_token": page_token(admin, f"/admin/orders/{order.id}"), "attempt": attempt,
            "reason": "requested_by_customer", "note": "", "confirm": "yes"}


def refund(admin, order, amount, **extra):
    data = {**refund_form(admin, order), "amount": amount, **extra}
    return admin.post(f"/admin/orders/{order.id}/refund", data=data), data


def refunds_at_stripe(double):
    return [r for r in double.requests if r["path"] == "/v1/refunds" and r["method"] == "POST"]


def refreshed(order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def test_full_refund_goes_through_stripe_and_is_shown(app, double, paid_order, admin):
    response, _ = refund(admin, paid_order, "60.00")
    assert response.status_code == 303
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Refunded £60.00 on order" in page
    assert 'id="refunded-total"><strong>£60.00' in page
    assert "Refund…" not in page  # nothing left to refund
    [sent] = refunds_at_stripe(double)
    assert sent["params"] == {"payment_intent": paid_order.payment_intent_id, "amount": "6000", "reason": "requested_by_customer"}
    assert sent["headers"]["Idempotency-Key"].startswith(f"order-{paid_order.id}-refund-")
    charge = next(iter(double.charges.values()))
    assert charge["amount_refunded"] == 6000 and charge["refunded"] is True
    assert refreshed(paid_order).refunded_pence == 6000
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "order.refund")).one()
    assert entry.actor_email == admin.user.email and '"refunded_pence": 0' in entry.before_json


def test_partial_refund_with_items_returned_to_stock(app, double, paid_order, admin, oil):
    variant = oil.variants[0]
    assert stock_of(variant.id) == 7
    response, _ = refund(admin, paid_order, "20.00", note="one bottle leaked", **{f"return_{variant.id}": "1"})
    assert response.status_code == 303
    assert refreshed(paid_order).refunded_pence == 2000
    assert stock_of(variant.id) == 8
    assert_ledger_balances()
    page = admin.get(f"/admin/orders/{paid_order.id}").get_data(as_text=True)
    assert "Up to £40.00 can still be refunded" in page and "one bottle leaked" in page
    assert "2 of 3 can go back" in page

    again, _ = refund(admin, paid_order, "15.50")
    assert again.status_code == 303
    assert refreshed(paid_order).refunded_pence == 3550
    assert next(iter(double.charges.values()))["amount_refunded"] == 3550


def test_more_than_was_paid_is_refused_before_stripe_is_asked(app, double, paid_order, admin):
    refund(admin, paid_order, "25.00")
    response, _ = refund(admin, paid_order, "35.01")
    assert response.status_code == 422
    assert "You can refund at most £35.00 on order" in response.get_data(as_text=True)
    assert len(refunds_at_stripe(double)) == 1
    assert refreshed(paid_order).refunded_pence == 2500

    for bad in ("-5", "12.345", "ten pounds", "0", ""):
        response, _ = refund(admin, paid_order, bad)
        assert response.status_code == 422, bad
    assert len(refunds_at_stripe(double)) == 1


def test_submitting_the_same_refund_twice_refunds_once(app, double, paid_order, admin):
    form = {**refund_form(admin, paid_order), "amount": "10.00"}
    first = admin.post(f"/admin/orders/{paid_order.id}/refund", data=form)
    second = admin.post(f"/admin/orders/{paid_order.id}/refund", data=form)
    assert first.status_code == second.status_code == 303
    assert "already made" in admin.get(second.headers["Location"]).get_data(as_text=True)
    assert refreshed(paid_order).refunded_pence == 1000
    assert db.session.query(OrderRefund).count() == 1
    assert next(iter(double.charges.values()))["amount_refunded"] == 1000


def test_a_lost_answer_is_retried_with_the_same_key_and_stripe_refunds_once(app, double, paid_order, admin):
    form = {**refund_form(admin, paid_order), "amount": "10.00"}
    double.fail_next.append(("drop_after",))  # Stripe refunds, but the answer never arrives
    lost = admin.post(f"/admin/orders/{paid_order.id}/refund", data=form)
    assert lost.status_code == 502
    assert refreshed(paid_order).refunded_pence == 0  # we do not know it happened, so nothing is recorded
    retried = admin.post(f"/admin/orders/{paid_order.id}/refund", data=form)
    assert retried.status_code == 303
    keys = {r["headers"]["Idempotency-Key"] for r in refunds_at_stripe(double)}
    assert len(keys) == 1
    assert next(iter(double.charges.values()))["amount_refunded"] == 1000
    assert refreshed(paid_order).refunded_pence == 1000


@pytest.mark.parametrize("status", [402, 500])
def test_stripe_refusing_shows_a_clear_message_and_records_nothing(app, double, paid_order, admin, oil, status):
    double.fail_next.append(("status", status))
    response, _ = refund(admin, paid_order, "20.00", **{f"return_{oil.variants[0].id}": "1"})
    assert response.status_code == 502
    text = response.get_data(as_text=True)
    assert "The refund did not go through" in text
    order = refreshed(paid_order)
    assert order.refunded_pence == 0
    assert db.session.query(OrderRefund).count() == 0
    assert db.session.query(AuditEntry).count() == 0
    assert stock_of(oil.variants[0].id) == 7
    assert next(iter(double.charges.values()))["amount_refunded"] == 0


def test_the_charge_refunded_webhook_agrees_with_the_refund_made_here(app, double, paid_order, admin):
    import json

    refund(admin, paid_order, "12.00")
    event = double.refund_event(paid_order.payment_intent_id)
    payload = json.dumps(event).encode()
    response = app.test_client().post("/stripe/webhook", data=payload,
                                      headers={"Stripe-Signature": double.sign(payload), "Content-Type": "application/json"})
    assert response.status_code == 200
    assert refreshed(paid_order).refunded_pence == 1200


def test_the_customer_is_emailed_once_per_refund(app, double, paid_order, admin):
    from tests.helpers import email_subjects, email_text, outbox

    before = len(outbox(app))
    form = {**refund_form(admin, paid_order), "amount": "15.00"}
    admin.post(f"/admin/orders/{paid_order.id}/refund", data=form)
    admin.post(f"/admin/orders/{paid_order.id}/refund", data=form)  # the same form again: no second refund, no second email
    emails = outbox(app)[before:]
    assert len(emails) == 1
    text = email_text(emails[0])
    assert "£15.00" in text and paid_order.number in text and "£15.00 of the £60.00" in text
    assert email_subjects(app)[-1] == (paid_order.email, f"We've refunded part of order {paid_order.number}")

    refund(admin, paid_order, "45.00")
    assert email_subjects(app)[-1][1] == f"We've refunded order {paid_order.number}"
    assert "The whole £60.00 you paid has now been refunded." in email_text(outbox(app)[-1])
