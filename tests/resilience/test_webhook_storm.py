"""A webhook storm on PostgreSQL: 500 signed deliveries, shuffled, duplicated, some at once.

Sixty real checkouts (through the app, against the Stripe-API double) each meet one fate at
Stripe: paid, paid then refunded twice, expired, a delayed payment that clears, one that
fails, or nothing yet. Their events, plus events the shop ignores, are delivered in random
order, each at least once, many several times, and some by several threads at the same
moment. Like Stripe, the deliverer retries anything that is not a 2xx.

Afterwards every order, stock level, refund and email is exactly what the events say, and
each event took effect once.
"""
import json
import os
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.orders.models import Order, OrderEvent, WebhookEvent
from shop.inventory.models import StockMovement
from shop.payments.services import get_gateway
from tests import factories as make
from tests.helpers import add_to_cart, assert_ledger_balances, csrf_token, deliver_by_standard, outbox, stock_of
from tests.stripe.double import stripe_settings

pytestmark = pytest.mark.postgres_only

DELIVERIES = 500
FATES = ["paid", "refunded", "expired", "async_ok", "async_failed", "untouched"]
ORDERS_PER_CART = 20
STOCK = 200
SEED = int(os.environ.get("STORM_SEED", "20261124"))


@pytest.fixture
def app_settings(double):
    return stripe_settings(double.url, timeout=5)


def open_orders(app, carts):
    """Each cart checks out ORDERS_PER_CART times: one real order (and Stripe session) per checkout."""
    for lines in carts:
        client = app.test_client()
        for variant_id, quantity in lines:
            assert add_to_cart(client, variant_id, quantity).status_code == 303
        token = csrf_token(client)
        deliver_by_standard(client)
        for _ in range(ORDERS_PER_CART):
            assert client.post("/checkout", data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    return list(db.session.scalars(select(Order).order_by(Order.id)))


def play_fates(double, orders, rng):
    """Decide each order's fate at Stripe; return {order id: fate}, the events, and the refunds."""
    fates, events, refunded = {}, [], {}
    gateway = get_gateway()
    for i, order in enumerate(orders):
        fate = FATES[i % len(FATES)]
        fates[order.id] = fate
        sid = order.checkout_session_id
        if fate in ("paid", "refunded"):
            session = double.complete(sid, send_webhook=False)
            events.append(double.event("checkout.session.completed", session))
            if fate == "refunded":
                pi = session["payment_intent"]
                first, second = rng.randint(100, 400), rng.randint(100, 400)
                gateway.refund(pi, first, "requested_by_customer", f"storm-{order.token}-1")
                events.append(double.refund_event(pi))
                gateway.refund(pi, second, "requested_by_customer", f"storm-{order.token}-2")
                events.append(double.refund_event(pi))
                refunded[order.id] = first + second
        elif fate == "expired":
            events.append(double.event("checkout.session.expired", double.expire_at_stripe(sid, send_webhook=False)))
        elif fate in ("async_ok", "async_failed"):
            session = double.complete(sid, payment_status="unpaid", send_webhook=False)
            events.append(double.event("checkout.session.completed", session))
            outcome = double.succeed_async if fate == "async_ok" else double.fail_async
            kind = "succeeded" if fate == "async_ok" else "failed"
            events.append(double.event(f"checkout.session.async_payment_{kind}", outcome(sid, send_webhook=False)))
    # Events the shop does not act on, and one for a session it never opened.
    events.append(double.event("customer.created", {"id": "cus_storm", "object": "customer"}))
    events.append(double.event("payment_intent.created", {"id": "pi_storm", "object": "payment_intent"}))
    stranger = dict(double.sessions[orders[0].checkout_session_id], id="cs_test_not_ours", client_reference_id="0")
    events.append(double.event("checkout.session.expired", stranger))
    return fates, events, refunded


def schedule(events, rng):
    """Jobs of one or more simultaneous deliveries: every event at least once, DELIVERIES in all, shuffled.

    Besides single deliveries and bursts of one event, each order's events also arrive all at
    once (Stripe delivers in parallel): completed with its refunds, or with its delayed outcome.
    """
    jobs = [[e] for e in events]
    siblings = {}
    for e in events:
        obj = e["data"]["object"]
        siblings.setdefault(obj.get("payment_intent") or obj["id"], []).append(e)
    jobs += [group for group in siblings.values() if len(group) > 1]
    total = sum(len(job) for job in jobs)
    while total < DELIVERIES:
        event = rng.choice(events)
        burst = min(rng.choice([1, 1, 2, 4, 6]), DELIVERIES - total)
        jobs.append([event] * burst)
        total += burst
    rng.shuffle(jobs)
    return jobs


def deliver_all(app, double, jobs):
    statuses = Counter()
    lock = threading.Lock()

    def post(event, barrier=None):
        payload = json.dumps(event).encode()
        headers = {"Content-Type": "application/json", "Stripe-Signature": double.sign(payload)}
        client = app.test_client()
        if barrier:
            barrier.wait(timeout=30)
        for _ in range(5):  # Stripe retries anything but a 2xx
            status = client.post("/stripe/webhook", data=payload, headers=headers).status_code
            with lock:
                statuses[status] += 1
            if status == 200:
                return True
        return False

    def run(job):
        if len(job) == 1:
            return [post(job[0])]
        barrier = threading.Barrier(len(job))
        with ThreadPoolExecutor(len(job)) as burst:
            return list(burst.map(lambda e: post(e, barrier), job))

    with ThreadPoolExecutor(8) as pool:
        results = [ok for oks in pool.map(run, jobs) for ok in oks]
    return results, statuses


def test_a_storm_of_webhooks_applies_each_event_once(app, double):
    rng = random.Random(SEED)
    a = make.product("Storm Oil", sizes=((100, 699, STOCK),))
    b = make.product("Storm Balm", sizes=((50, 1250, STOCK),))
    va, vb = a.variants[0].id, b.variants[0].id
    orders = open_orders(app, [[(va, 1)], [(va, 2), (vb, 1)], [(vb, 3)]])
    assert len(orders) == 3 * ORDERS_PER_CART
    fates, events, refunded = play_fates(double, orders, rng)
    jobs = schedule(events, rng)
    assert sum(len(job) for job in jobs) == DELIVERIES
    assert any(len(job) > 1 for job in jobs)

    results, statuses = deliver_all(app, double, jobs)
    assert len(results) == DELIVERIES and all(results), statuses

    db.session.expire_all()
    expected_status = {
        "paid": "paid", "refunded": "paid", "expired": "expired",
        "async_ok": "paid", "async_failed": "payment_failed", "untouched": "pending_payment",
    }
    expected_history = {
        "paid": ["paid"], "refunded": ["paid"], "expired": ["expired"], "untouched": [],
        "async_ok": [["payment_processing", "paid"], ["paid"]],  # "paid" first if the success came first
        "async_failed": [["payment_processing", "payment_failed"], ["payment_failed"]],
    }
    held = Counter()
    for order in db.session.scalars(select(Order).order_by(Order.id)):
        fate = fates[order.id]
        assert order.status == expected_status[fate], (order.number, fate, order.status, order.review_reason)
        history = [e.to_status for e in order.events if e.from_status != e.to_status]
        wanted = expected_history[fate]
        assert history in (wanted if wanted and isinstance(wanted[0], list) else [wanted]), (fate, history)
        assert order.refunded_pence == refunded.get(order.id, 0), (fate, order.refunded_pence)
        if order.status in ("paid", "pending_payment"):
            held.update(order.quantities)
        releases = db.session.scalar(
            select(func.count()).select_from(StockMovement).where(
                StockMovement.order_id == order.id, StockMovement.reason == "release"
            )
        )
        assert releases == (len(order.quantities) if order.status in ("expired", "payment_failed") else 0)

    assert stock_of(va) == STOCK - held[va]
    assert stock_of(vb) == STOCK - held[vb]
    assert_ledger_balances()
    # One email per paid order; each acted-on event recorded once.
    paid = sum(1 for f in fates.values() if expected_status[f] == "paid")
    assert len(outbox(app)) == paid
    acted_on = {e["id"] for e in events if e["type"].startswith(("checkout.session.", "charge."))}
    assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == len(acted_on)
    assert set(db.session.scalars(select(WebhookEvent.id))) == acted_on
    # At most one "refunds now total" entry per refund event (never one per duplicate delivery).
    refund_notes = db.session.scalar(
        select(func.count()).select_from(OrderEvent).where(OrderEvent.note.like("refunds at the gateway%"))
    )
    assert len(refunded) <= refund_notes <= 2 * len(refunded)
