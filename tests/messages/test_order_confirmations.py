"""Order confirmations go through the outbox: recorded with the payment, delivered by the worker,
never lost while the mail server is down, never sent twice."""
import json
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order, WebhookEvent
from tests import factories as make
from tests.helpers import add_to_cart, checkout, deliver_due
from tests.messages.support import count, messages
from tests.stripe.double import stripe_settings


@pytest.fixture
def app_settings(double, smtp):
    return {**stripe_settings(double.url), **smtp.settings(timeout=1.0)}


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 500),))


def post_event(app, double, event):
    payload = json.dumps(event).encode()
    return app.test_client().post("/stripe/webhook", data=payload, headers={
        "Content-Type": "application/json", "Stripe-Signature": double.sign(payload)})


def start_order(app, oil) -> tuple:
    client = app.test_client()
    add_to_cart(client, oil.variants[0].id, 1)
    assert checkout(client).status_code == 303
    db.session.expire_all()
    return client, db.session.scalars(select(Order).order_by(Order.id.desc())).first()


def pay(double, order, email) -> dict:
    """The buyer pays on Stripe's page, giving their email there; the completed event to send."""
    double.sessions[order.checkout_session_id]["customer_email"] = email
    return double.event("checkout.session.completed", double.complete(order.checkout_session_id, send_webhook=False))


@pytest.mark.long
def test_a_hundred_orders_paid_while_the_mail_server_is_down_are_each_confirmed_once_when_it_is_back(app, double, smtp, oil):
    smtp.mode = "down"
    for n in range(100):
        _, order = start_order(app, oil)
        assert post_event(app, double, pay(double, order, f"buyer{n}@example.com")).status_code == 200

    db.session.expire_all()
    orders = db.session.scalars(select(Order)).all()
    assert len(orders) == 100 and {o.status for o in orders} == {"paid"}
    assert count(kind="order_confirmation", status="pending") == 100
    assert smtp.connections == 0, "a web request talked to the mail server"

    # The worker tries while the server refuses service: nothing is lost, each waits for its next attempt.
    tried = deliver_due(app)
    assert (tried.sent, tried.retrying, tried.failed) == (0, 100, 0)
    assert smtp.connections == 100 and smtp.received == []
    waiting = messages(kind="order_confirmation")
    assert {(m.status, m.attempts) for m in waiting} == {("pending", 1)}
    assert all("421" in m.last_error for m in waiting)

    smtp.mode = "accept"
    retry_at = max(m.next_attempt_at for m in waiting)
    assert deliver_due(app, now=retry_at).sent == 100
    expected = {o.email: o.number for o in orders}
    assert len(smtp.received) == 100
    assert Counter(r.message_id for r in smtp.received).most_common(1)[0][1] == 1
    assert sorted(r.to for r in smtp.received) == sorted(expected)
    for received in smtp.received:
        number = expected[received.to]
        assert received.subject == f"Your order {number} is confirmed"
        assert f"Order {number} is paid." in received.text()
    assert count(kind="order_confirmation", status="sent") == 100

    assert deliver_due(app, now=retry_at).handled == 0  # nothing goes twice
    assert len(smtp.received) == 100


def test_the_paid_order_and_its_confirmation_commit_together_or_not_at_all(app, double, smtp, oil, monkeypatch):
    import shop.orders.services as order_services

    _, order = start_order(app, oil)
    event = pay(double, order, "together@example.com")
    real = order_services.confirmation_context
    monkeypatch.setattr(order_services, "confirmation_context", lambda *a: (_ for _ in ()).throw(RuntimeError("template broke")))
    # The webhook fails (Stripe will retry it): neither the payment nor the email is kept.
    assert post_event(app, double, event).status_code == 500
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "pending_payment"
    assert count() == 0 and db.session.scalars(select(WebhookEvent)).all() == []

    monkeypatch.setattr(order_services, "confirmation_context", real)
    assert post_event(app, double, event).status_code == 200  # Stripe's retry
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "paid"
    assert [(m.kind, m.recipient, m.about_type, m.about_id) for m in messages()] == [
        ("order_confirmation", "together@example.com", "order", order.id)]


def test_the_webhook_and_the_success_page_racing_record_one_confirmation_and_one_email_goes(app, double, smtp, oil):
    for _ in range(5):
        client, order = start_order(app, oil)
        event = pay(double, order, f"racer{order.id}@example.com")
        barrier = threading.Barrier(2)
        statuses = []

        def webhook():
            barrier.wait()
            statuses.append(post_event(app, double, event).status_code)

        def success_page():
            barrier.wait()
            statuses.append(client.get(f"/checkout/success?session_id={order.checkout_session_id}").status_code)

        threads = [threading.Thread(target=webhook), threading.Thread(target=success_page)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert statuses == [200, 200]
        assert count(about_type="order", about_id=order.id) == 1
    assert smtp.connections == 0
    assert deliver_due(app).sent == 5
    assert Counter(r.to for r in smtp.received) == {f"racer{o.id}@example.com": 1 for o in db.session.scalars(select(Order))}
