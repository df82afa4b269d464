"""Pay on account against the Stripe double: the worker's invoice (lines, delivery, code), its webhooks
(paid, failed, replayed, forged, unknown) and voiding, through the real `stripe` package."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from shop.clock import utcnow
from shop.extensions import db
from shop.invoicing.backoffice import TermsError, void_invoice
from shop.invoicing.preparing import prepare_invoices
from shop.orders.models import WebhookEvent
from shop.payments.services import get_gateway
from tests import factories as make
from tests.helpers import assert_ledger_balances, csrf_token, stock_of
from tests.invoicing.support import clinic_on_terms, only_invoice, order_on_account, orders, signed_in
from tests.offers import support as offers


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 800, 10), (1000, 4000, 10)))


@pytest.fixture
def owner(app):
    return clinic_on_terms(days=30, credit_pence=100_000)


def calls(double, path):
    return [r for r in double.requests if r["method"] == "POST" and r["path"] == path]


def sent_invoice(app, double, client, oil, **extra):
    """An order on account (100 ml x3, 1 L x1) whose invoice the worker has created, finalised and sent."""
    from tests.helpers import add_to_cart

    add_to_cart(client, oil.variants[0].id, 3)
    assert order_on_account(client, oil.variants[1], 1, **extra).status_code == 303
    assert prepare_invoices(get_gateway(), utcnow()) == "invoices sent 1, gateway unavailable for 0"
    return only_invoice()


def post(app, double, event, secret=None):
    payload = json.dumps(event).encode()
    return app.test_client().post("/stripe/webhook", data=payload, headers={
        "Content-Type": "application/json", "Stripe-Signature": double.sign(payload, secret=secret)})


def test_the_invoice_reaches_stripe_line_by_line_with_delivery_and_the_code(app, double, owner, oil):
    offers.code("CLINIC5", kind="fixed", percent_off=None, amount_off_pence=500, applies_to_trade=True)
    client = signed_in(app, owner)
    client.post("/cart/code", data={"code": "clinic5", "csrf_token": csrf_token(client)})
    invoice = sent_invoice(app, double, client, oil)
    (order,) = orders()
    assert order.code_discount_pence == 500

    (customer,) = calls(double, "/v1/customers")
    assert customer["params"] == {"name": owner.clinic.name, "email": owner.email,
                                  "metadata": {"clinic_id": str(owner.clinic.id)}}
    (created,) = calls(double, "/v1/invoices")
    p = created["params"]
    assert (p["collection_method"], p["days_until_due"], p["auto_advance"], p["pending_invoice_items_behavior"]) == \
        ("send_invoice", "30", "false", "exclude")
    assert p["metadata"] == {"order_id": str(order.id), "order_number": order.number}
    assert double.coupons[p["discounts"][0]["coupon"]]["amount_off"] == 500
    items = [r["params"] for r in calls(double, "/v1/invoiceitems")]
    assert [(i["description"], i["quantity"], i["unit_amount_decimal"], i["discountable"]) for i in items] == [
        ("Grapeseed Oil (100 ml · SKU %s)" % oil.variants[0].sku, "3", "600", "true"),
        ("Grapeseed Oil (1 L · SKU %s)" % oil.variants[1].sku, "1", "3000", "true"),
        (f"Delivery: {order.delivery_method_name}", "1", str(order.shipping_pence), "false"),
    ]
    stripe_invoice = double.invoices[invoice.gateway_invoice_id]
    assert stripe_invoice["amount_due"] == order.total_pence == 1800 + 3000 - 500 + order.shipping_pence
    assert stripe_invoice["status"] == "open" and stripe_invoice["sent_to"] == owner.email
    keys = [r["headers"]["Idempotency-Key"] for r in double.requests if r["method"] == "POST"]
    assert all(k.startswith((f"invoice-{order.token}-", f"clinic-{owner.clinic.id}-")) for k in keys), keys
    # What the order and the account show: Stripe's number, link and due date.
    assert (invoice.status, invoice.number, invoice.hosted_url) == \
        ("open", stripe_invoice["number"], stripe_invoice["hosted_invoice_url"])
    assert invoice.due_at == datetime.fromtimestamp(stripe_invoice["due_date"], timezone.utc).replace(tzinfo=None)
    page = client.get(f"/account/orders/{order.id}").get_data(as_text=True)
    assert stripe_invoice["number"] in page and "View and pay the invoice" in page


def test_a_failure_half_way_is_retried_into_one_invoice_and_the_clinic_stays_one_customer(app, double, owner, oil):
    client = signed_in(app, owner)
    order_on_account(client, oil.variants[1], 1)
    double.fail_next.extend([("delay", 0)] * 3 + [("status", 500)])  # customer, invoice, first line pass; the next fails
    assert prepare_invoices(get_gateway(), utcnow()) == "invoices sent 0, gateway unavailable for 1"
    assert only_invoice().status == "preparing" and only_invoice().attempts == 1
    assert "being prepared" in client.get(f"/account/orders/{orders()[0].id}").get_data(as_text=True)

    assert prepare_invoices(get_gateway(), utcnow()) == "invoices sent 1, gateway unavailable for 0"
    assert len(double.invoices) == 1 and len(double.customers) == 1
    assert len(next(iter(double.invoices.values()))["lines"]["data"]) == 2  # the line and delivery, once each
    order_on_account(client, oil.variants[1], 1)
    prepare_invoices(get_gateway(), utcnow())
    assert len(double.customers) == 1 and len(double.invoices) == 2  # the clinic's customer is remembered


def test_invoice_paid_marks_the_order_paid_once_however_often_it_comes(app, double, owner, oil):
    invoice = sent_invoice(app, double, signed_in(app, owner), oil)
    event = double.pay_invoice(invoice.gateway_invoice_id, send_webhook=False)
    assert post(app, double, event, secret="whsec_forged").status_code == 400  # forged: nothing changes
    assert orders()[0].status == "on_account"
    for _ in range(3):
        assert post(app, double, event).status_code == 200
    (order,) = orders()
    assert order.status == "paid" and order.paid_at is not None and only_invoice().status == "paid"
    assert [e.to_status for e in order.events].count("paid") == 1
    assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 1
    assert stock_of(oil.variants[1].id) == 9  # sold once, never released


def test_a_paid_amount_that_does_not_match_flags_the_order_for_review(app, double, owner, oil):
    invoice = sent_invoice(app, double, signed_in(app, owner), oil)
    double.invoices[invoice.gateway_invoice_id]["amount_due"] -= 100  # edited at Stripe before it was paid
    assert post(app, double, double.pay_invoice(invoice.gateway_invoice_id, send_webhook=False)).status_code == 200
    (order,) = orders()
    assert order.status == "needs_review"
    assert f"the order total is {order.total_pence}" in order.review_reason


def test_a_failed_payment_flags_the_invoice_and_an_unknown_invoice_is_ignored(app, double, owner, oil):
    invoice = sent_invoice(app, double, signed_in(app, owner), oil)
    assert post(app, double, double.fail_invoice_payment(invoice.gateway_invoice_id, send_webhook=False)).status_code == 200
    assert only_invoice().payment_failed_at is not None and orders()[0].status == "on_account"
    assert "payment of the invoice failed" in orders()[0].events[-1].note
    stranger = double.event("invoice.paid", {"id": "in_not_ours", "object": "invoice", "metadata": {}})
    response = post(app, double, stranger)
    assert response.status_code == 200 and response.json["outcome"] == "handled"


def test_voiding_an_unpaid_invoice_cancels_the_order_and_returns_its_stock_once(app, double, owner, oil):
    admin = make.user(role="admin")
    invoice = sent_invoice(app, double, signed_in(app, owner), oil)
    assert stock_of(oil.variants[1].id) == 9
    void_invoice(invoice.id, "ordered twice by mistake", gateway=get_gateway(), actor=admin, now=utcnow())
    assert double.invoices[invoice.gateway_invoice_id]["status"] == "void"
    assert orders()[0].status == "cancelled" and only_invoice().status == "void"
    assert stock_of(oil.variants[1].id) == 10 and stock_of(oil.variants[0].id) == 10
    # Stripe's own invoice.voided, and a second void, change nothing more.
    assert post(app, double, double.invoice_event("invoice.voided", invoice.gateway_invoice_id)).status_code == 200
    with pytest.raises(TermsError, match="only unpaid invoices"):
        void_invoice(invoice.id, "again", gateway=get_gateway(), actor=admin, now=utcnow())
    assert stock_of(oil.variants[1].id) == 10
    assert_ledger_balances()
    # Its credit is free again.
    from shop.invoicing.services import standing_of

    assert standing_of(owner.clinic.id, utcnow() + timedelta(days=60)).owed_pence == 0


def test_an_invoice_not_sent_yet_is_voided_by_the_shop_alone_and_never_sent(app, double, owner, oil):
    # Stripe down since the order: the admin voids it before the worker could send it.
    admin = make.user(role="admin")
    order_on_account(signed_in(app, owner), oil.variants[1], 1)
    assert stock_of(oil.variants[1].id) == 9
    void_invoice(only_invoice().id, "clinic cancelled by phone", gateway=get_gateway(), actor=admin, now=utcnow())
    assert orders()[0].status == "cancelled" and only_invoice().status == "void"
    assert stock_of(oil.variants[1].id) == 10
    assert prepare_invoices(get_gateway(), utcnow()) == "invoices sent 0, gateway unavailable for 0"
    assert double.invoices == {} and calls(double, "/v1/invoices") == []
    assert_ledger_balances()


def test_an_invoice_the_worker_is_sending_at_this_moment_is_not_voided(app, backend, double, owner, oil):
    if backend != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has none)")
    from sqlalchemy import text

    admin = make.user(role="admin")
    order_on_account(signed_in(app, owner), oil.variants[1], 1)
    invoice_id = only_invoice().id
    with db.engine.connect() as worker:  # as prepare_invoices holds it while Stripe makes and sends the invoice
        worker.execute(text("SELECT id FROM invoices WHERE id = :id FOR UPDATE"), {"id": invoice_id})
        with pytest.raises(TermsError, match="being sent to the payment provider at this moment"):
            void_invoice(invoice_id, "clinic cancelled by phone", gateway=get_gateway(), actor=admin, now=utcnow())
        worker.rollback()
    assert only_invoice().status == "preparing" and orders()[0].status == "on_account"
    assert prepare_invoices(get_gateway(), utcnow()) == "invoices sent 1, gateway unavailable for 0"
