"""The last units at scale: 200 buyers press "Checkout" at the same moment for 10 units, 20 times over.

The approach of tests/integration/test_concurrency.py (50 buyers, 3 rounds), scaled up. To keep
it quick, each buyer's browser session is made once (with its CSRF token) and
each round puts the new product in its cart directly in the session, as /cart/add would; only
the checkouts go through the app, all at once behind a barrier.

The app gets at most 30 database connections (the conftest app may open 70): 200 threads on a
shared PostgreSQL server would otherwise crowd out everyone else. Requests still overlap
inside the database, where the conditional stock update has to get it right.
"""
import threading

import pytest
from sqlalchemy import func, select

from shop import create_app
from shop.config import TestConfig
from shop.extensions import db
from shop.orders.models import Order
from tests import conftest, factories as make
from tests.conftest import FreshContextClient
from tests.helpers import assert_ledger_balances, csrf_token, deliver_by_standard, stock_of

pytestmark = [pytest.mark.postgres_only, pytest.mark.long]

BUYERS = 200
UNITS = 10
ROUNDS = 20


@pytest.fixture
def app(database_url, tmp_path, _worker_pg_database):
    engine_options = {"pool_pre_ping": True, "pool_size": 20, "max_overflow": 10, "pool_timeout": 120}
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLALCHEMY_ENGINE_OPTIONS=engine_options)
    application.instance_path = str(tmp_path / "instance")
    application.test_client_class = FreshContextClient
    with application.app_context():
        if not conftest._pg_schema_built:
            db.drop_all()
            conftest._drop_alembic_version()
            db.create_all()
            conftest._pg_schema_built = True
        yield application
        db.session.remove()
        conftest._truncate_all()
        db.engine.dispose()


def buyers(app, product):
    """BUYERS browser sessions, each with its CSRF token."""
    out = []
    for _ in range(BUYERS):
        client = app.test_client()
        out.append((client, csrf_token(client)))
    return out


def put_in_cart(client, variant_id):
    with client.session_transaction() as session:
        session["cart"] = {str(variant_id): 1}
    deliver_by_standard(client)


def race(browsers):
    barrier = threading.Barrier(len(browsers))
    results = [None] * len(browsers)

    def buy(i):
        client, token = browsers[i]
        barrier.wait(timeout=60)
        response = client.post("/checkout", data={"csrf_token": token})
        results[i] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(len(browsers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_hundred_buyers_ten_units_twenty_times(app, backend):
    first = make.product("Warm-up Oil", sizes=((100, 699, 1),))
    browsers = buyers(app, first)
    # The session-made cart is the cart the shop sees: a buyer's cart page lists it.
    put_in_cart(browsers[0][0], first.variants[0].id)
    assert "Warm-up Oil" in browsers[0][0].get("/cart").get_data(as_text=True)

    lost_in_database = 0
    for round_ in range(ROUNDS):
        oil = make.product(f"Last Oil {round_}", sizes=((100, 699, UNITS),))
        variant_id = oil.variants[0].id
        for client, _ in browsers:
            put_in_cart(client, variant_id)

        results = race(browsers)

        statuses = [status for status, _ in results]
        assert statuses.count(303) == UNITS, (round_, sorted(set(statuses)))
        assert statuses.count(409) == BUYERS - UNITS, (round_, sorted(set(statuses)))
        for status, body in results:
            if status == 409:
                # Lost the race inside the database ("sold out while you were shopping"), or came
                # in after the last unit had gone, when the cart itself flags the line.
                assert "sold out while you were shopping" in body or "fix the items marked" in body
                assert "out of stock" in body.lower()
                lost_in_database += "sold out while you were shopping" in body
        assert stock_of(variant_id) == 0
        db.session.expire_all()
        held = db.session.scalar(
            select(func.count(Order.id)).where(Order.status == "pending_payment", Order.lines.any(variant_id=variant_id))
        )
        assert held == UNITS, round_
    assert_ledger_balances()
    # The race really was decided by the conditional update, not only by the cart's stock check.
    assert lost_in_database > 0
