"""The last units, bought by many people at once (PostgreSQL: real row locks, real concurrency)."""
import threading

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, assert_ledger_balances, csrf_token, deliver_by_standard, stock_of

pytestmark = pytest.mark.postgres_only

BUYERS = 50
UNITS = 10
ROUNDS = 3


def race(app, variant_id):
    clients = []
    for _ in range(BUYERS):
        client = app.test_client()
        response = add_to_cart(client, variant_id, 1)
        assert response.status_code == 303, (len(clients), response.get_data(as_text=True)[-1500:])
        deliver_by_standard(client)
        clients.append((client, csrf_token(client)))
    barrier = threading.Barrier(BUYERS)
    results = [None] * BUYERS

    def buy(i):
        client, token = clients[i]
        barrier.wait()
        response = client.post("/checkout", data={"csrf_token": token})
        results[i] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(BUYERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_fifty_buyers_ten_units_exactly_ten_orders(app, backend):
    for round_ in range(ROUNDS):
        oil = make.product(f"Last Oil {round_}", sizes=((100, 699, UNITS),))
        variant_id = oil.variants[0].id
        results = race(app, variant_id)

        statuses = [status for status, _ in results]
        assert statuses.count(303) == UNITS, statuses
        assert statuses.count(409) == BUYERS - UNITS, statuses
        for status, body in results:
            if status == 409:
                # Lost the race inside the database, or came after the stock reached 0 and the
                # cart itself flagged the line: either way the buyer is told it is out of stock.
                assert "sold out while you were shopping" in body or "fix the items marked" in body
                assert "out of stock" in body
        assert stock_of(variant_id) == 0
        db.session.expire_all()
        held = db.session.scalar(
            select(func.count(Order.id)).where(Order.status == "pending_payment", Order.lines.any(variant_id=variant_id))
        )
        assert held == UNITS
        assert_ledger_balances()
